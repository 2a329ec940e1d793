using System.Globalization;
using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Trials;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// The median stopping rule (Golovin et al., "Google Vizier", KDD 2017): a trial whose best value up to its latest
/// step is worse than the median of the other trials' values at that step stops. Another trial's value at step s is
/// its latest report at or before s, counted when it has reported at s or later (running, completed or pruned; not
/// deleted), so trials that report on different step grids still compare. Nothing stops before step
/// <c>min_steps</c> or while fewer than <c>min_trials</c> other trials have reached the step.
/// </summary>
/// <remarks>
/// The settled trials' values at each step asked about are kept sorted (<see cref="StepValues"/>); a decision reads
/// the open trials and walks to the middle of the merged values: O(open · log R + T) with a small constant, instead of
/// reading every trial's reports.
/// </remarks>
internal sealed class MedianStopping(StoppingMetric metric, long minSteps, int minTrials) : IEarlyStopping
{
    private readonly StepValues _values = new(metric);

    /// <inheritdoc/>
    public string Name => MedianStoppingProvider.RuleName;

    /// <inheritdoc/>
    public StopDecision Decide(StudySnapshot study, Trial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.Reports is not [.., var latest] || latest.Step < minSteps || !metric.TryLoss(latest, out _))
        {
            return StopDecision.Continue;
        }

        var step = latest.Step;
        var best = double.PositiveInfinity;
        foreach (var report in trial.Reports)
        {
            if (metric.TryLoss(report, out var loss))
            {
                best = Math.Min(best, loss);
            }
        }

        _values.Update(study);
        var settled = _values.SettledAt(step, study.Trials);
        var open = new List<double>();
        foreach (var i in _values.Unsettled)
        {
            var other = study.Trials[i];
            if (other.Id != trial.Id && _values.LossAt(other, step) is { } loss)
            {
                open.Add(loss);
            }
        }

        var count = settled.Count + open.Count;
        if (count < minTrials)
        {
            return StopDecision.Continue;
        }

        open.Sort();
        var middle = count / 2;
        var median = count % 2 == 1 ? Kth(settled, open, middle) : (Kth(settled, open, middle - 1) + Kth(settled, open, middle)) / 2;
        return best > median
            ? StopDecision.StopBecause(string.Create(CultureInfo.InvariantCulture,
                $"median: the best {metric.Name} up to step {step}, {metric.Value(best):G6}, is worse than the median {metric.Value(median):G6} of {count} other trials at that step"))
            : StopDecision.Continue;
    }

    /// <summary>The <paramref name="k"/>-th smallest (from 0) of two sorted sequences together.</summary>
    private static double Kth(SortedLosses settled, List<double> open, int k)
    {
        int i = 0, j = 0;
        while (true)
        {
            var fromSettled = j == open.Count || (i < settled.Count && settled[i] <= open[j]);
            var value = fromSettled ? settled[i++] : open[j++];
            if (i + j == k + 1)
            {
                return value;
            }
        }
    }
}
