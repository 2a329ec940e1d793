using System.Diagnostics;
using System.Text;
using HpcTune.Trials;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Display;

/// <summary>
/// One line per finished trial, for logs and redirected output. With <paramref name="holdUntilReleased"/> the lines
/// wait for <see cref="Release"/>: the MPI master journals a round's results without an fsync each and calls it after
/// the round's commit, so a printed trial is always on disk (a job killed right after printing it keeps it). With
/// <paramref name="events"/> each finished trial is a log event of that logger instead (<c>--log-format json</c>).
/// </summary>
internal sealed class PlainProgressDisplay(TextWriter output, bool holdUntilReleased = false, ILogger? events = null) : IProgressDisplay
{
    private readonly Lock _lock = new();
    private readonly List<string> _held = [];
    private readonly List<Action> _heldEvents = [];

    /// <summary>Writes the lines held since the last call.</summary>
    public void Release()
    {
        lock (_lock)
        {
            foreach (var logged in _heldEvents)
            {
                logged();
            }

            _heldEvents.Clear();
            if (_held.Count == 0)
            {
                return;
            }

            // One write for the round: Console.Out flushes on every call, and each flush is a system call and a
            // wake-up of mpiexec, which forwards rank 0's output.
            var round = new StringBuilder();
            foreach (var line in _held)
            {
                round.AppendLine(line);
            }

            output.Write(round.ToString());
            _held.Clear();
        }
    }

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
            var bestText = best is null ? "-" : $"{tuner.Definition.Objective.Name}={best.Values![tuner.Definition.Objective.Name]:G6} (trial {best.Id})";
            if (events is not null)
            {
                var trial = e.Trial;
                var state = trial.State.ToString().ToLowerInvariant();
                void Logged() => events.TrialFinished(trial.Id, state, trial.Worker, outcome, p.Completed, p.Budget, p.Failed, p.Open, bestText);
                lock (_lock)
                {
                    if (holdUntilReleased)
                    {
                        _heldEvents.Add(Logged);
                    }
                    else
                    {
                        Logged();
                    }
                }

                return;
            }

            var line = $"[{clock.Elapsed:hh\\:mm\\:ss}] trial {e.Trial.Id} {outcome} | done {p.Completed}/{p.Budget} failed {p.Failed} open {p.Open} | best {bestText}";
            lock (_lock)
            {
                if (holdUntilReleased)
                {
                    _held.Add(line);
                }
                else
                {
                    output.WriteLine(line);
                }
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
