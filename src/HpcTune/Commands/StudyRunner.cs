using HpcTune.Cli.Display;
using HpcTune.Journal;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>Runs a study held by a checkpoint to its end, with progress, signals and the contract's exit codes.</summary>
internal static class StudyRunner
{
    /// <summary>
    /// Evaluates the study in <paramref name="checkpoint"/> with <paramref name="workers"/> threads until it is
    /// done, broken or stopped by SIGINT/SIGTERM/SIGUSR1 (running trials are then journaled as interrupted).
    /// </summary>
    public static async Task<int> RunAsync(Checkpoint checkpoint, ObjectiveChoice choice, Objectives.IObjective objective, int? workers, ILogger logger, int? raiseBudgetTo = null)
    {
        var tuner = MasterStart.Begin(checkpoint, choice, raiseBudgetTo, logger);
        var threads = workers ?? WorkerCount.Default(tuner.Definition.ParallelBandwidth);
        using var stop = new CancellationTokenSource();
        using var signals = StopSignals.Register(stop, logger);
        IProgressDisplay display = Console.IsOutputRedirected ? new PlainProgressDisplay(Console.Out) : new LiveProgressDisplay();
        StudySummary summary;
        try
        {
            summary = await display.RunAsync(tuner, () => tuner.OptimizeAsync(objective, threads, stop.Token)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            var progress = tuner.Progress;
            await Console.Error.WriteLineAsync($"stopped: {progress.Completed}/{progress.Budget} completed, {progress.Interrupted} interrupted trials will be re-issued by 'HpcTune resume --checkpoint {checkpoint.Directory}'").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }

        SummaryPrinter.Print(tuner.Definition, summary, Console.Out);
        return summary.Progress.Status == StudyStatus.Broken ? ExitCodes.Broken : ExitCodes.Done;
    }
}
