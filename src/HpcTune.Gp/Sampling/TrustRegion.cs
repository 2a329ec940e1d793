using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Model;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// The box around the best observation that suggestions are confined to, as in TuRBO (Eriksson et al. 2019):
/// its side starts at <see cref="InitialLength"/> of the unit box, doubles after <see cref="SuccessTolerance"/>
/// improvements in a row, halves after max(4, d) evaluations without one, and once it is smaller than
/// <see cref="MinLength"/> the search starts over elsewhere: a fresh space-filling design, then a new region around
/// the best point found since (the model keeps every observation). Each side is stretched by its feature's length
/// scale relative to their geometric mean. Without a region log-EI spends most of a 10-dimensional budget in
/// corners, where the variance is largest (Ackley-10 regret at 100 evaluations 5.8 → 4.3, Hartmann-6 at 50
/// 3.7e-3 → 4.7e-5; docs/gp.md); restarting around the same point (as before) left a region that had converged in a
/// local minimum there for good (Hartmann-6's second-best basin, a quarter of runs).
/// The state is replayed from the observations in order, so a resumed study gets the same box.
/// </summary>
internal static class TrustRegion
{
    /// <summary>Side length of a fresh region, as a fraction of the unit box.</summary>
    public const double InitialLength = 0.4;

    /// <summary>Below this the search starts over with a fresh design.</summary>
    public const double MinLength = 1.0 / 128;

    /// <summary>The region never grows beyond this.</summary>
    public const double MaxLength = 1.6;

    /// <summary>Improvements in a row that double the side.</summary>
    public const int SuccessTolerance = 3;

    /// <summary>
    /// The region's state after <paramref name="values"/> (maximization form, in the order observed). Each search
    /// begins with <paramref name="initial"/> design points, which only set its incumbent; an improvement beats the
    /// incumbent of the current search by more than 1e-3 of the observed range. <paramref name="known"/>[i], when
    /// given, is how many results were in when value i's suggestion was made (i when not given: one suggestion at a
    /// time): a search started over ignores the results of suggestions made before it (<see cref="BelongsTo"/>), and a
    /// region whose last halving came from failures of suggestions made before the incumbent was known opens once more
    /// around the same point (<see cref="Stale"/>).
    /// </summary>
    public static TrustRegionState Replay(IReadOnlyList<double> values, int initial, int continuousFeatures, IReadOnlyList<int>? known = null) =>
        Replay(values, initial, continuousFeatures, known, int.MaxValue);

    /// <summary>
    /// <see cref="Replay(IReadOnlyList{double}, int, int, IReadOnlyList{int}?)"/>, and whether coordinate moves on the
    /// <see cref="CoordinateMoveSchedule.Paying"/> schedule have stopped paying (<see cref="TrustRegionState.MovesOff"/>):
    /// a result counts as a move's when its suggestion was made while the region stalled with the moves on (from
    /// <paramref name="known"/>, so a suggestion still open when the moves came on is not one); the moves go off for the
    /// rest of the search once <paramref name="moveEpisodes"/> stalls' worth of such results in a row (each the
    /// ⌊max(4, d)/2⌋ results that take a stalled region to its halving) have not improved, and a new search turns them
    /// on again; with <paramref name="backOff"/> they come back sooner, for one stall's worth after 1, 2, 4, … stalls
    /// without them. <see cref="int.MaxValue"/> never turns them off.
    /// </summary>
    public static TrustRegionState Replay(IReadOnlyList<double> values, int initial, int continuousFeatures, IReadOnlyList<int>? known, int moveEpisodes, bool backOff = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        var failureTolerance = Math.Max(4, continuousFeatures);
        var movesAllowed = moveEpisodes >= int.MaxValue / failureTolerance ? int.MaxValue : moveEpisodes * (failureTolerance / 2);
        var failedMoves = 0; // results in a row of suggestions made with the moves on that did not improve
        int offs = 0, stallsOff = 0; // with backOff: times the moves went off in this search; stalls since the last
        var movesOnAt = new bool[values.Count]; // [j]: whether a suggestion made with j results in had the moves on
        var range = values.Count == 0 ? 0 : values.Max() - values.Min();
        var length = InitialLength;
        var start = 0;
        var results = 0; // of the current search
        var best = double.NegativeInfinity;
        var bestAtCollapse = double.NaN;
        double Threshold(double incumbent) => 1e-3 * Math.Min(range, Math.Abs(incumbent));
        int successes = 0, failures = 0;
        var bestIndex = -1; // the result that set the incumbent
        bool staleFailures = false, premature = false; // since the last halving or improvement; of the last halving (a collapse is one)
        for (var i = 0; i < values.Count; i++)
        {
            movesOnAt[i] = IsStalled(failures, failureTolerance) && failedMoves < movesAllowed;
            if (!BelongsTo(i, start, known))
            {
                continue;
            }

            var improved = values[i] > best + Threshold(best);
            if (movesOnAt[Math.Min(known?[i] ?? i, i)]) // the suggestion was made with the moves on
            {
                failedMoves = improved ? 0 : failedMoves + 1;
                if (failedMoves == movesAllowed)
                {
                    (offs, stallsOff) = (offs + 1, 0);
                }
            }

            var wasStalled = IsStalled(failures, failureTolerance);
            if (results++ >= initial)
            {
                successes = improved ? successes + 1 : 0;
                failures = improved ? 0 : failures + 1;
                staleFailures = !improved && (staleFailures || Stale(i, bestIndex, known));
                if (successes == SuccessTolerance)
                {
                    length = Math.Min(2 * length, MaxLength);
                    successes = 0;
                }
                else if (failures == failureTolerance)
                {
                    length /= 2;
                    failures = 0;
                    (premature, staleFailures) = (staleFailures, false);
                }

                if (backOff && failedMoves >= movesAllowed && !wasStalled && IsStalled(failures, failureTolerance) && ++stallsOff > 1 << Math.Min(offs - 1, 20))
                {
                    // Off for 1, 2, 4, … stalls, then on again for one stall's worth.
                    (failedMoves, stallsOff) = (movesAllowed - (failureTolerance / 2), 0);
                }
            }

            if (improved)
            {
                bestIndex = i;
            }

            best = Math.Max(best, values[i]);
            if (length < MinLength)
            {
                // A collapse reached through failures of suggestions that knew the incumbent means the basin is
                // exhausted: the search starts over elsewhere. One reached through failures of suggestions made before
                // the incumbent was found may be premature, so the region opens once more around the same point, and
                // again while that improves.
                var reopen = double.IsNaN(bestAtCollapse) ? premature : best > bestAtCollapse + Threshold(bestAtCollapse);
                if (reopen)
                {
                    (length, bestAtCollapse) = (InitialLength, best);
                }
                else
                {
                    (length, start, results, best, bestAtCollapse, successes, failures, failedMoves, offs, stallsOff) = (InitialLength, i + 1, 0, double.NegativeInfinity, double.NaN, 0, 0, 0, 0, 0);
                }
            }
        }

        return new TrustRegionState(length, start, failures, failureTolerance, failedMoves >= movesAllowed);
    }

    /// <summary>
    /// Whether the suggestion of result <paramref name="index"/> was made before result <paramref name="bestIndex"/>,
    /// the incumbent it failed to beat, was in (never so one suggestion at a time). The second chance around the same
    /// point that every collapse used to get had been for Ackley-10's funnel, which, since a restarted search improves
    /// on its own best, gains more from starting over: sequentially (80 seeds, median / mean regret at 200) Ackley-10
    /// 2.60 / 3.43 → 2.10 / 2.37 and Hartmann-6 runs in its second basin 17 → 9 of 80. With open suggestions a
    /// region collapses early through failures of suggestions made before the latest improvement, and starting over
    /// then threw whole descents away (8 open, Rosenbrock-4 at 200 0.41 → 0.87), so such collapses keep the second
    /// chance; a basin exhausted under open suggestions is left at once (8 open: runs in Hartmann-6's second basin at
    /// 200 29 → 15 of 80; docs/gp.md).
    /// </summary>
    public static bool Stale(int index, int bestIndex, IReadOnlyList<int>? known) => known is not null && known[index] <= bestIndex;

    /// <summary>Whether <paramref name="failures"/> in a row are at least half the <paramref name="failureTolerance"/> that halve the region.</summary>
    internal static bool IsStalled(int failures, int failureTolerance) => failureTolerance > 0 && 2 * failures >= failureTolerance;

    /// <summary>
    /// Whether result <paramref name="index"/> belongs to the search that began at result <paramref name="start"/>: it
    /// came in after that, from a suggestion made after that (<paramref name="known"/>[index] ≥ start). With open
    /// suggestions, those made by the search before complete after a restart; counted, they put the new search's
    /// incumbent, and so its region, back in the basin it left (Hartmann-6, 4 open: a restarted search went back to the
    /// second-best basin within its design, and all 25 of 80 runs trapped there stayed through 300 evaluations; 12 now;
    /// docs/gp.md). A suggestion prepared ahead under MPI counts from when it was handed out, a few results late at most.
    /// </summary>
    public static bool BelongsTo(int index, int start, IReadOnlyList<int>? known) =>
        index >= start && (start == 0 || known is null || known[index] >= start);

    /// <summary>
    /// The box of side <paramref name="length"/> around <paramref name="center"/> over the continuous features,
    /// each side scaled by ℓ_f / (∏ℓ)^(1/k), clipped to the unit box; one-hot features keep [0, 1].
    /// </summary>
    public static SearchBox Around(ReadOnlySpan<double> center, double length, GpHyperparameters hyperparameters, IReadOnlyList<int> continuous)
    {
        ArgumentNullException.ThrowIfNull(hyperparameters);
        ArgumentNullException.ThrowIfNull(continuous);
        var box = SearchBox.Unit(center.Length);
        if (continuous.Count == 0)
        {
            return box;
        }

        var logMean = continuous.Average(f => hyperparameters.Theta[f]);
        foreach (var f in continuous)
        {
            var half = length * Math.Exp(hyperparameters.Theta[f] - logMean) / 2;
            box.Lower[f] = Math.Clamp(center[f] - half, 0, 1);
            box.Upper[f] = Math.Clamp(center[f] + half, 0, 1);
        }

        return box;
    }
}

/// <summary>
/// A trust region's side (as a fraction of the unit box) and the index of the first observation of the current
/// search; the search is still in its design while fewer than <c>initial</c> observations follow that index.
/// <paramref name="Failures"/> counts the results in a row since the last improvement or halving that did not
/// improve, out of the <paramref name="FailureTolerance"/> that halve the region; <paramref name="MovesOff"/>, whether
/// coordinate moves have stopped paying in this search (<see cref="CoordinateMoveSchedule.Paying"/>).
/// </summary>
internal readonly record struct TrustRegionState(double Length, int Start, int Failures = 0, int FailureTolerance = 0, bool MovesOff = false)
{
    /// <summary>
    /// Whether the region is stalling: at least half of the failures that halve it have come in a row. Coordinate moves
    /// join the candidates only then by default (<see cref="CoordinateMoveSchedule.Stalled"/>): while the region improves,
    /// the evaluations they would take away from it are what polishing a single basin needs (docs/gp-rugged.md).
    /// </summary>
    public bool Stalled => TrustRegion.IsStalled(Failures, FailureTolerance);
}
