using System.Globalization;
using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Trials;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// Asynchronous successive halving as a stopping rule (Li et al., "A System for Massively Parallel Hyperparameter
/// Tuning", MLSys 2020): rungs at steps <c>min_steps · reduction_factor^k</c> (below <c>max_steps</c> when given). A
/// trial records its value at a rung with its first report at or past the rung's step, and goes on only if that value
/// is in the top 1/η of the values recorded there so far, its own included: with n values, fewer than
/// max(1, ⌊n/η⌋) may be strictly better. So a rung's first trial always goes on and, until η trials reached a
/// rung, only one that beats every value there does (as Optuna's SuccessiveHalvingPruner decides; Ray Tune's
/// ASHAScheduler interpolates a percentile, which decides alike but for ties). Values of every trial count, pruned
/// ones at the rungs they reached, deleted ones not at all. A report that passes several rungs is judged at each in
/// turn.
/// </summary>
/// <remarks>
/// The rungs' values live in <see cref="AshaRungs"/>, sorted, updated from each snapshot with what it gained: a
/// decision reads the open trials and new ones (a trial in a final state never changes) and costs a binary search
/// per rung passed, whatever the size of the study.
/// </remarks>
internal sealed class AshaStopping(StoppingMetric metric, long[] rungSteps, int reductionFactor) : IEarlyStopping
{
    private readonly AshaRungs _rungs = new(metric, rungSteps);

    /// <inheritdoc/>
    public string Name => AshaStoppingProvider.RuleName;

    /// <summary>The rungs' steps, ascending (for tests and docs).</summary>
    internal IReadOnlyList<long> RungSteps => rungSteps;

    /// <inheritdoc/>
    public StopDecision Decide(StudySnapshot study, Trial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.Reports.Count == 0)
        {
            return StopDecision.Continue;
        }

        _rungs.Update(study);
        var record = _rungs.Of(trial.Id);
        var latest = trial.Reports.Count - 1;
        // The rungs this report reached: a decision depends on the snapshot alone, however the cache was filled.
        for (var k = 0; k < record.Losses.Count; k++)
        {
            if (record.RecordedBy[k] != latest)
            {
                continue;
            }

            var loss = record.Losses[k];
            var values = _rungs.At(k);
            var better = values.CountBelow(loss);
            var promoted = Math.Max(1, values.Count / reductionFactor);
            if (better >= promoted)
            {
                return StopDecision.StopBecause(string.Create(CultureInfo.InvariantCulture,
                    $"asha: {metric.Name} {metric.Value(loss):G6} at rung {k} (step {rungSteps[k]}) is not in the top {promoted} of the {values.Count} values recorded there ({better} are better)"));
            }
        }

        return StopDecision.Continue;
    }
}
