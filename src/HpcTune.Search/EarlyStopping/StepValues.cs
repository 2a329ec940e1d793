using HpcTune.Sampling;
using HpcTune.Trials;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// The values of settled trials (completed, pruned, failed: final, so they never change) at each step the median rule
/// was asked about, sorted, for <see cref="MedianStopping"/>; the trials still open or interrupted are read afresh at
/// each decision. A cache of the snapshots it is given and nothing else: it grows with the trials that settle and
/// starts over when a snapshot holds fewer trials than it read.
/// </summary>
internal sealed class StepValues(StoppingMetric metric)
{
    private readonly List<int> _unsettled = [];
    private readonly List<int> _settled = [];
    private readonly Dictionary<long, Entry> _steps = [];
    private int _read;

    /// <summary>Indices of the trials that were open or interrupted at the last <see cref="Update"/>.</summary>
    public IReadOnlyList<int> Unsettled => _unsettled;

    /// <summary>Brings the cache up to <paramref name="study"/>: O(unsettled trials) plus what is new.</summary>
    public void Update(StudySnapshot study)
    {
        var trials = study.Trials;
        if (trials.Count < _read)
        {
            _unsettled.Clear();
            _settled.Clear();
            _steps.Clear();
            _read = 0;
        }

        for (; _read < trials.Count; _read++)
        {
            _unsettled.Add(_read);
        }

        var kept = 0;
        for (var u = 0; u < _unsettled.Count; u++)
        {
            var i = _unsettled[u];
            var state = trials[i].State;
            if (!TrialTransitions.IsFinal(state))
            {
                _unsettled[kept++] = i;
            }
            else if (state != TrialState.Deleted)
            {
                _settled.Add(i);
            }
        }

        _unsettled.RemoveRange(kept, _unsettled.Count - kept);
    }

    /// <summary>The sorted losses at <paramref name="step"/> of the settled trials that reached it.</summary>
    public SortedLosses SettledAt(long step, IReadOnlyList<Trial> trials)
    {
        if (!_steps.TryGetValue(step, out var entry))
        {
            _steps[step] = entry = new Entry();
        }

        for (; entry.Read < _settled.Count; entry.Read++)
        {
            if (LossAt(trials[_settled[entry.Read]], step) is { } loss)
            {
                entry.Values.Add(loss);
            }
        }

        return entry.Values;
    }

    /// <summary>
    /// A trial's loss at <paramref name="step"/>: its latest report at or before the step that has the metric, when it
    /// has reported at the step or later; null otherwise.
    /// </summary>
    public double? LossAt(Trial trial, long step)
    {
        var reports = trial.Reports;
        if (reports.Count == 0 || reports[^1].Step < step)
        {
            return null;
        }

        for (var i = ReportSteps.CountAtOrBefore(reports, step) - 1; i >= 0; i--)
        {
            if (metric.TryLoss(reports[i], out var loss))
            {
                return loss;
            }
        }

        return null;
    }

    private sealed class Entry
    {
        public int Read { get; set; }

        public SortedLosses Values { get; } = new();
    }
}
