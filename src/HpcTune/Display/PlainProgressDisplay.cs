using System.Diagnostics;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Display;

/// <summary>One line per finished trial, for logs and redirected output.</summary>
internal sealed class PlainProgressDisplay(TextWriter output) : IProgressDisplay
{
    private readonly Lock _lock = new();

    public async Task<StudySummary> RunAsync(Tuner tuner, Func<Task<StudySummary>> run)
    {
        var clock = Stopwatch.StartNew();
        void OnFinished(object? sender, TrialFinishedEventArgs e)
        {
            var p = e.Progress;
            var best = tuner.Best;
            var outcome = e.Trial.State == TrialState.Completed
                ? string.Join(" ", e.Trial.Values!.Select(v => $"{v.Key}={v.Value:G6}"))
                : $"{e.Trial.State.ToString().ToLowerInvariant()}: {e.Trial.Reason}";
            lock (_lock)
            {
                output.WriteLine($"[{clock.Elapsed:hh\\:mm\\:ss}] trial {e.Trial.Id} {outcome} | done {p.Completed}/{p.Budget} failed {p.Failed} open {p.Open} | best {(best is null ? "-" : $"{tuner.Definition.Objective.Name}={best.Values![tuner.Definition.Objective.Name]:G6} (trial {best.Id})")}");
            }
        }

        tuner.TrialFinished += OnFinished;
        try
        {
            return await run().ConfigureAwait(false);
        }
        finally
        {
            tuner.TrialFinished -= OnFinished;
        }
    }
}
