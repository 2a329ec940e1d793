using HpcTune.Cli.Display;
using HpcTune.Journal;
using HpcTune.Mpi.Interop;
using HpcTune.Mpi.Roles;
using HpcTune.Transport;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>
/// <c>run</c>/<c>resume</c> under <c>mpiexec</c>: rank 0 opens the checkpoint and is the master, the other ranks are
/// workers that never touch the checkpoint. Whatever goes wrong on rank 0 before the study starts stops every worker
/// first, so the job ends instead of hanging.
/// </summary>
internal static class MpiStudyRunner
{
    /// <summary>What rank 0 needs: the open checkpoint, the objective, the trial folders, a budget to raise to.</summary>
    public sealed record MasterSetup(Checkpoint Checkpoint, ObjectiveChoice Choice, TrialPlace Trials, StopSettings Settings, int? RaiseBudgetTo);

    public static bool UnderMpi => MpiWorld.LauncherWorldSize() > 1;

    public static async Task<int> RunAsync(Func<MasterSetup> setUpMaster, ILogger logger)
    {
        using var world = MpiWorld.Initialize();
        if (world.Rank > 0)
        {
            using var ignored = StopSignals.Ignore();
            MpiWorker.Run(world, welcome =>
            {
                var (choice, trials) = ObjectiveChoice.FromJson(welcome.ObjectiveJson);
                return choice.Create(welcome.Study, trials);
            }, logger);
            return ExitCodes.Done;
        }

        MasterSetup setup;
        Tuner tuner;
        try
        {
            setup = setUpMaster();
            try
            {
                tuner = MasterStart.Begin(setup.Checkpoint, setup.Choice, setup.Settings, setup.RaiseBudgetTo, logger); // journals: may fail too
            }
            catch
            {
                setup.Checkpoint.Dispose();
                throw;
            }
        }
        catch (Exception e)
        {
            MpiMaster.Refuse(world, $"the master could not start: {e.Message}");
            throw;
        }

        using var checkpoint = setup.Checkpoint;
        using var stop = new GracefulStop(setup.Settings.Grace);
        using var signals = StopSignals.Register(stop, logger, StopSignals.MpiKillWindow());
        checkpoint.Writer.SyncEachRecord = false; // the master commits once per round, before it answers
        var display = new PlainProgressDisplay(Console.Out, holdUntilReleased: true);
        void Commit()
        {
            checkpoint.Writer.Commit();
            display.Release(); // trial lines only once their results are durable
        }

        var master = new MpiMaster(world, setup.Choice.ToJson(setup.Trials), Commit, logger);
        var hub = new WorkerHub(tuner, logger);
        using var drain = stop.Draining.Register(() => hub.StopHandingOut("the master was asked to stop"));

        // MPI is FUNNELED to this thread: the master runs right here, inside the display's callback.
        StudySummary summary;
        try
        {
            summary = await display.RunAsync(tuner, () => master.ServeAsync(hub, stop.Abandoning)).ConfigureAwait(false);
        }
        catch (Exception e) when (master.Unresponsive.Count > 0)
        {
            // The master failed (a full disk) after giving up on a silent rank: MPI_Finalize would wait for that rank
            // forever, so the error is reported here and the job ended, with the code the top level would give.
            var code = ExitCodes.Interrupted;
            try
            {
                code = await CliErrors.Guard(() => Task.FromException<int>(e)).ConfigureAwait(false);
            }
            catch (Exception unmapped) when (ReferenceEquals(unmapped, e))
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            }

            await Console.Out.FlushAsync().ConfigureAwait(false);
            await Console.Error.FlushAsync().ConfigureAwait(false);
            world.Abort(code);
            throw;
        }

        int exitCode;
        if (summary.Progress.Status == StudyStatus.Running)
        {
            exitCode = await StudyRunner.StoppedAsync(summary.Progress, checkpoint.Directory).ConfigureAwait(false);
        }
        else
        {
            SummaryPrinter.Print(tuner.Definition, summary, Console.Out);
            exitCode = summary.Progress.Status == StudyStatus.Broken ? ExitCodes.Broken : ExitCodes.Done;
        }

        if (master.Unresponsive.Count > 0)
        {
            // MPI_Finalize would wait for the hung ranks forever; everything is on disk, so end the job here, with the
            // study's own exit code (OpenMPI's mpiexec passes it on).
            await Console.Out.FlushAsync().ConfigureAwait(false);
            checkpoint.Dispose();
            world.Abort(exitCode);
        }

        return exitCode;
    }
}
