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

    /// <summary>
    /// Runs the job: rank 0 the master, the others workers. <paramref name="alongside"/> starts what rank 0 serves
    /// besides its ranks (the network service of <c>serve</c>), which then makes the master's commits.
    /// </summary>
    public static async Task<int> RunAsync(Func<MasterSetup> setUpMaster, ILogger logger, CliOutput output, Func<Checkpoint, Tuner, WorkerHub, Task<IMasterCompanion>>? alongside = null)
    {
        using var world = MpiWorld.Initialize();
        if (world.Rank > 0)
        {
            using var ignored = StopSignals.Ignore();
            MpiWorker.Run(world, welcome =>
            {
                var (choice, trials) = ObjectiveChoice.FromJson(welcome.ObjectiveJson);
                return choice.Create(welcome.Study, trials, logger);
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
                tuner = StudyRunner.Begin(setup.Checkpoint, setup.Choice, setup.Settings, setup.RaiseBudgetTo, SuggestAhead(logger), logger, output); // journals: may fail too
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
        var display = output.MasterDisplay(logger);
        var hub = new WorkerHub(tuner, logger);
        await using var companion = alongside is null ? null : await alongside(checkpoint, tuner, hub).ConfigureAwait(false);
        void Commit()
        {
            if (companion is null)
            {
                checkpoint.Writer.Commit();
            }
            else
            {
                companion.Commit(); // one sync path for the ranks' results and the network's
            }

            display.Release(); // trial lines only once their results are durable
        }

        var master = new MpiMaster(world, setup.Choice.ToJson(setup.Trials), Commit, logger);
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

        if (tuner.ResultMismatch is { } mismatch)
        {
            throw mismatch; // every rank was stopped at once (CliErrors: exit 2)
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

    /// <summary>
    /// Suggestions computed ahead of requests only where this rank has a core to spare: on an oversubscribed node the
    /// background computation only took CPU from the objectives (64 ranks on 2 cores: master 42–47 % of a core with it,
    /// 24–29 % without, utilization no better; docs/mpi.md). Cheap samplers never compute ahead (SuggestionSource).
    /// </summary>
    private static int SuggestAhead(ILogger logger)
    {
        var cores = CoreShare.PerRank();
        var ahead = cores >= 2 ? 4 : 0;
        logger.PreparingAhead(ahead > 0 ? "on" : "off, no core to spare", cores);
        return ahead;
    }
}
