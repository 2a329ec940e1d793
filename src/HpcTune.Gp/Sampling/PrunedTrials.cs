using HpcTune.Sampling;
using HpcTune.Trials;

namespace HpcTune.Gp.Sampling;

/// <summary>What the GP sampler makes of trials an early stopping rule pruned (docs/early-stopping.md has the measurement).</summary>
internal enum PrunedTrialUse
{
    /// <summary>Not seen at all: the model is fitted on completed trials only.</summary>
    Ignore,

    /// <summary>Observations at their last reported value, beside the completed trials.</summary>
    LastValue,

    /// <summary>Like recent failures: open suggestions that never report (fantasies at the posterior mean keep suggestions off them).</summary>
    Pending,

    /// <summary>
    /// Observations at their last reported value moved by the median change from that step to the end among the
    /// completed trials that finished before them: a crude extrapolation of the learning curve to its end.
    /// </summary>
    Extrapolated,
}

/// <summary>
/// The trials a GP is fitted on when pruned trials count as observations at their last reported value: the completed
/// trials in completion order merged with the pruned ones that reported the objective, by the time each finished.
/// The order depends on the snapshot alone, so a resumed study fits the same model.
/// </summary>
internal sealed class ObservedTrials
{
    private readonly DateTimeOffset[] _prunedAt;

    private ObservedTrials(IReadOnlyList<Trial> trials, DateTimeOffset[] prunedAt)
    {
        Trials = trials;
        _prunedAt = prunedAt;
    }

    /// <summary>The observations, in the order they came in.</summary>
    public IReadOnlyList<Trial> Trials { get; }

    /// <summary>Completed trials only (<see cref="PrunedTrialUse.Ignore"/> and <see cref="PrunedTrialUse.Pending"/>).</summary>
    public static ObservedTrials CompletedOf(StudySnapshot view) => new(view.Completed, []);

    /// <summary>Completed and pruned trials, merged by finishing time (<see cref="PrunedTrialUse.LastValue"/>).</summary>
    public static ObservedTrials WithPruned(StudySnapshot view)
    {
        var objective = view.Definition.Objective.Name;
        var pruned = view.Trials
            .Where(t => t.State == TrialState.Pruned && t.Values is { } values && values.ContainsKey(objective))
            .OrderBy(t => t.FinishedAt).ThenBy(t => t.Id)
            .ToList();
        if (pruned.Count == 0)
        {
            return CompletedOf(view);
        }

        var completed = view.Completed;
        var merged = new List<Trial>(completed.Count + pruned.Count);
        int c = 0, p = 0;
        while (c < completed.Count || p < pruned.Count)
        {
            var takeCompleted = p == pruned.Count || (c < completed.Count && completed[c].FinishedAt <= pruned[p].FinishedAt);
            merged.Add(takeCompleted ? completed[c++] : pruned[p++]);
        }

        return new ObservedTrials(merged, [.. pruned.Select(t => t.FinishedAt ?? default)]);
    }

    /// <summary>
    /// The objective value the model is given for observation <paramref name="index"/>: a completed trial's, or a
    /// pruned trial's last reported value, extrapolated when <paramref name="extrapolate"/> by the median of
    /// (final − value at that step) over the completed observations before it (which never change once it is in, so
    /// the value depends on the snapshot alone).
    /// </summary>
    public double ValueOf(int index, string objective, bool extrapolate)
    {
        var trial = Trials[index];
        var last = trial.Values![objective];
        if (trial.State != TrialState.Pruned || !extrapolate || trial.Reports.Count == 0)
        {
            return last;
        }

        var step = trial.Reports[^1].Step;
        var changes = new List<double>();
        for (var j = 0; j < index; j++)
        {
            var other = Trials[j];
            if (other.State == TrialState.Completed && other.Values!.TryGetValue(objective, out var final)
                && other.Reports is [.., var end] && end.Step >= step && ValueAt(other.Reports, step, objective) is { } then)
            {
                changes.Add(final - then);
            }
        }

        if (changes.Count == 0)
        {
            return last;
        }

        changes.Sort();
        var middle = changes.Count / 2;
        return last + (changes.Count % 2 == 1 ? changes[middle] : (changes[middle - 1] + changes[middle]) / 2);
    }

    /// <summary>The value of the latest report at or before <paramref name="step"/> that has <paramref name="objective"/>.</summary>
    private static double? ValueAt(IReadOnlyList<TrialReport> reports, long step, string objective)
    {
        for (var i = ReportSteps.CountAtOrBefore(reports, step) - 1; i >= 0; i--)
        {
            if (reports[i].Values.TryGetValue(objective, out var value))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>
    /// How many observations were in when <paramref name="trial"/> was suggested: its completed trials before, plus
    /// the pruned ones that had finished by then (what the trust region's replay reads as "known").
    /// </summary>
    public int KnownAt(Trial trial)
    {
        if (_prunedAt.Length == 0)
        {
            return trial.CompletedBefore;
        }

        int low = 0, high = _prunedAt.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_prunedAt[mid] < trial.CreatedAt)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return trial.CompletedBefore + low;
    }
}
