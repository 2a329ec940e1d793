using HpcTune.Cli.Display;
using HpcTune.Journal;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>Runs a study held by a checkpoint to its end, with progress, signals and the contract's exit codes.</summary>
internal static class StudyRunner
{
    /// <summary>
    /// Evaluates the study in <paramref name="checkpoint"/> with <paramref name="workers"/> threads until it is done,
    /// broken or stopped by SIGINT/SIGTERM/SIGHUP/SIGUSR1: then no new trials start, running ones may finish within the grace
    /// period, and whatever still runs after it is journaled as interrupted.
    /// </summary>
    public static async Task<int> RunAsync(Checkpoint checkpoint, ObjectiveChoice choice, Objectives.IObjective objective, int? workers, StopSettings settings, ILogger logger, CliOutput output, int? raiseBudgetTo = null)
    {
        var tuner = Begin(checkpoint, choice, settings, raiseBudgetTo, suggestAhead: 0, logger, output);
        var threads = workers ?? WorkerCount.Default(tuner.Definition.ParallelBandwidth);
        using var stop = new GracefulStop(settings.Grace);
        using var signals = StopSignals.Register(stop, logger);
        using var drain = stop.Draining.Register(() => tuner.StopHandingOut("the run was asked to stop"));
        var display = output.Display(logger);
        // A journal that cannot be written stops every worker at once (their objectives are killed): no result could be
        // recorded, and the trials they hold stay open for resume to re-issue.
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(stop.Abandoning, checkpoint.Writer.Failed);
        StudySummary summary;
        try
        {
            summary = await display.RunAsync(tuner, () => tuner.OptimizeAsync(objective, threads, abandon.Token)).ConfigureAwait(false);
        }
        catch (Exception) when (checkpoint.Writer.Failure is { } failure)
        {
            throw failure; // whichever worker noticed first, the cause is the journal (CliErrors: exit 3)
        }
        catch (OperationCanceledException) when (stop.Abandoning.IsCancellationRequested)
        {
            return await StoppedAsync(tuner.Progress, checkpoint.Directory).ConfigureAwait(false);
        }

        if (summary.Progress.Status == StudyStatus.Running)
        {
            return await StoppedAsync(tuner.Progress, checkpoint.Directory).ConfigureAwait(false); // every running trial finished within the grace period
        }

        SummaryPrinter.Print(tuner.Definition, summary, Console.Out);
        return summary.Progress.Status == StudyStatus.Broken ? ExitCodes.Broken : ExitCodes.Done;
    }

    /// <summary>Starts the master on <paramref name="checkpoint"/> (Core's <see cref="MasterStart"/>) and says what the study optimizes.</summary>
    public static Tuner Begin(Checkpoint checkpoint, ObjectiveChoice choice, StopSettings settings, int? raiseBudgetTo, int suggestAhead, ILogger logger, CliOutput output)
    {
        var tuner = checkpoint.Resume(
            new TunerOptions
            {
                Logger = logger,
                SuggestAhead = suggestAhead,
                LeasePeriod = settings.Lease,
                TrialTimeout = choice.TrialTimeoutSeconds is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
            },
            raiseBudgetTo,
            new RunInfo(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessId, choice.Describe, choice.Command, choice.TrialTimeoutSeconds));
        output.Banner(tuner.Definition);
        return tuner;
    }

    /// <summary>Says how far a stopped study got and how to continue it; returns the exit code for "interrupted".</summary>
    public static async Task<int> StoppedAsync(StudyProgress progress, string checkpointDirectory)
    {
        await Console.Error.WriteLineAsync($"stopped: {progress.Completed}/{progress.Budget} completed, {progress.Interrupted} interrupted trials will be re-issued by 'HpcTune resume --checkpoint {checkpointDirectory}'").ConfigureAwait(false);
        return ExitCodes.Interrupted;
    }
}
