using HpcTune.Sampling;
using HpcTune.Trials;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// What every trial recorded at every rung of <see cref="AshaStopping"/>: a trial records at rung k the first of its
/// reports with the metric at a step of at least the rung's. It is a cache of a study snapshot and nothing else:
/// <see cref="Update"/> reads only what trials gained since the last snapshot (trials only gain reports, and only
/// while open; a deleted trial's recordings are withdrawn), and a cache that does not fit the snapshot is rebuilt from it, so a rule made
/// after a resume decides as the one before did.
/// </summary>
internal sealed class AshaRungs(StoppingMetric metric, long[] rungSteps)
{
    private readonly List<TrialRecord> _trials = [];
    private readonly List<int> _unsettled = []; // trials read while open or interrupted: only these (and new ones) can gain reports
    private readonly SortedLosses[] _rungs = [.. rungSteps.Select(_ => new SortedLosses())];

    /// <summary>The step of each rung, ascending.</summary>
    public IReadOnlyList<long> Steps => rungSteps;

    /// <summary>The losses recorded at rung <paramref name="rung"/>.</summary>
    public SortedLosses At(int rung) => _rungs[rung];

    /// <summary>What trial <paramref name="id"/> recorded (after <see cref="Update"/> with a snapshot that holds it).</summary>
    public TrialRecord Of(long id) => _trials[(int)(id - 1)];

    /// <summary>
    /// Brings the cache up to <paramref name="study"/>: it looks at the trials that were open or interrupted when last
    /// read and at new ones, since a trial in a final state never changes; O(open trials) plus what is new.
    /// </summary>
    public void Update(StudySnapshot study)
    {
        var trials = study.Trials;
        if (!Fits(trials))
        {
            Clear();
        }

        var known = _trials.Count;
        for (var i = known; i < trials.Count; i++)
        {
            _trials.Add(new TrialRecord());
            _unsettled.Add(i);
        }

        var kept = 0;
        for (var u = 0; u < _unsettled.Count; u++)
        {
            var i = _unsettled[u];
            Read(trials[i], _trials[i]);
            if (!TrialTransitions.IsFinal(trials[i].State))
            {
                _unsettled[kept++] = i;
            }
        }

        _unsettled.RemoveRange(kept, _unsettled.Count - kept);
    }

    private void Read(Trial trial, TrialRecord record)
    {
        if (record.Withdrawn)
        {
            return;
        }

        if (trial.State == TrialState.Deleted)
        {
            for (var k = 0; k < record.Losses.Count; k++)
            {
                _rungs[k].Remove(record.Losses[k]);
            }

            record.Withdrawn = true;
            return;
        }

        for (var r = record.ReportsRead; r < trial.Reports.Count; r++)
        {
            var report = trial.Reports[r];
            while (record.Losses.Count < rungSteps.Length && report.Step >= rungSteps[record.Losses.Count] && metric.TryLoss(report, out var loss))
            {
                _rungs[record.Losses.Count].Add(loss);
                record.Losses.Add(loss);
                record.RecordedBy.Add(r);
            }
        }

        record.ReportsRead = trial.Reports.Count;
    }

    /// <summary>
    /// False when the snapshot cannot have grown from what the cache read: fewer trials, or an unsettled trial with
    /// fewer reports (an older snapshot). The tuner hands its rule the study's snapshots in order, so this is a guard
    /// for other callers; a settled trial is not read again.
    /// </summary>
    private bool Fits(IReadOnlyList<Trial> trials)
    {
        if (trials.Count < _trials.Count)
        {
            return false;
        }

        foreach (var i in _unsettled)
        {
            if (trials[i].Reports.Count < _trials[i].ReportsRead)
            {
                return false;
            }
        }

        return true;
    }

    private void Clear()
    {
        _trials.Clear();
        _unsettled.Clear();
        for (var k = 0; k < _rungs.Length; k++)
        {
            _rungs[k] = new SortedLosses();
        }
    }

    /// <summary>One trial's recordings: its loss at each rung it reached, and the index of the report that recorded it.</summary>
    internal sealed class TrialRecord
    {
        public int ReportsRead { get; set; }

        public List<double> Losses { get; } = [];

        public List<int> RecordedBy { get; } = [];

        public bool Withdrawn { get; set; }
    }
}
