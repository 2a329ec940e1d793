using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Gp.Tests;

/// <summary>
/// The paying schedule of coordinate moves (docs/gp-rugged.md): on while the trust region stalls, off for the rest of
/// the search once results of suggestions made with them on have gone K stalls' worth in a row without improving. In 2
/// features 4 failures halve the region, 2 stall it, and a stall's worth is the 2 results from the stall to the halving.
/// </summary>
public class PayingMovesTests
{
    private const int Initial = 5;

    private static List<double> Design() => [1, 3, 2, 0, 4]; // best of the design: 4

    /// <summary>Whether the moves are on for the suggestion after each prefix of <paramref name="values"/> from <paramref name="from"/> on.</summary>
    private static bool[] MovesOn(List<double> values, int from, int episodes, IReadOnlyList<int>? known = null, bool backOff = false) =>
        [.. Enumerable.Range(from, values.Count - from + 1).Select(n =>
        {
            var state = TrustRegion.Replay(values[..n], Initial, 2, known?.Take(n).ToList(), episodes, backOff);
            return state.Stalled && !state.MovesOff;
        })];

    /// <summary>
    /// With back-off, moves that went off come back for one stall's worth after 1, then 2, … stalls without them: of the
    /// six stalls (one per halving) before the region collapses, the 1st, 3rd and 6th have moves; without back-off only
    /// the first. The collapse starts a new search, whose design has none.
    /// </summary>
    [Theory]
    [InlineData(true, new[] { true, false, true, false, false, true })]
    [InlineData(false, new[] { true, false, false, false, false, false })]
    public void Moves_that_went_off_come_back_after_a_growing_number_of_stalls(bool backOff, bool[] stallsWithMoves)
    {
        var values = Design();
        values.AddRange([5, 6]);
        values.AddRange(Enumerable.Repeat(0.5, 24)); // 6 halvings of 4 failures each, the sixth a collapse
        bool[] expected = [.. stallsWithMoves.SelectMany(on => new[] { false, false, on, on }), false];
        Assert.Equal(expected, MovesOn(values, 7, episodes: 1, backOff: backOff));
        Assert.Equal(values.Count, TrustRegion.Replay(values, Initial, 2, null, 1, backOff).Start); // started over
    }

    [Fact]
    public void Moves_that_do_not_improve_go_off_after_the_stalls_allowed()
    {
        var values = Design();
        values.AddRange([5, 6]); // improving
        values.AddRange(Enumerable.Repeat(0.5, 10));
        // Failures 1, 2 (stalled: on), 3 (on), 4 halves the region; then 1, 2 and 3 (on for K = 2: its second stall's
        // worth), 4 halves it again; after that the moves stay off however long the region stalls.
        Assert.Equal([false, false, true, true, false, false, true, true, false, false, false], MovesOn(values, 7, episodes: 2));
        Assert.Equal([false, false, true, true, false, false, false, false, false, false, false], MovesOn(values, 7, episodes: 1));
        Assert.True(TrustRegion.Replay(values, Initial, 2, null, 1).MovesOff);
        Assert.False(TrustRegion.Replay(values, Initial, 2).MovesOff); // never off on the other schedules
    }

    [Fact]
    public void A_move_that_improves_keeps_them_on()
    {
        var values = Design();
        values.AddRange([5, 6, 0.5, 0.5, 7]); // stalled after the second failure; the next suggestion, made with moves, improves
        values.AddRange(Enumerable.Repeat(0.5, 6));
        // With K = 1 the improvement starts the count again: the next stall gets its moves, and only then do they go off.
        Assert.Equal([false, false, true, false, false, true, true, false, false, false], MovesOn(values, 7, episodes: 1));
    }

    [Fact]
    public void An_improvement_made_without_moves_does_not_turn_them_back_on()
    {
        var values = Design();
        values.AddRange([5, 6, 0.5, 0.5, 0.5, 0.5, 7, 0.5, 0.5, 0.5]); // off after the first stall (K = 1); 7 came from a suggestion without moves
        Assert.Equal([false, false, true, true, false, false, false, false, false], MovesOn(values, 7, episodes: 1));
    }

    /// <summary>
    /// With open suggestions a result counts as a move's only when its suggestion was made while the moves were on:
    /// result 9 came from a suggestion made with 8 results in, before the stall, so only result 10 is a move's.
    /// </summary>
    [Fact]
    public void A_suggestion_open_when_the_moves_came_on_is_not_a_move()
    {
        var values = Design();
        values.AddRange([5, 6, 0.5, 0.5, 0.5, 0.5]);
        List<int> known = [0, 0, 0, 0, 0, 5, 6, 7, 8, 8, 10];
        Assert.False(TrustRegion.Replay(values, Initial, 2, known, 1).MovesOff);
        Assert.True(TrustRegion.Replay(values, Initial, 2, null, 1).MovesOff); // one at a time, both were
    }

    /// <summary>
    /// A sampler on the default schedule, fed results the test chooses (each better than the last, then each worse than
    /// the best): the moves it adds follow the replayed schedule, and a study resumed from its results adds the same.
    /// </summary>
    [Fact]
    public void A_sampler_and_its_resumed_study_follow_the_schedule()
    {
        var (tuner, sampler) = Tuned();
        const int Improving = 14;
        var moves = new List<int>();
        for (var n = 0; n < Improving + 14; n++)
        {
            var trial = tuner.Suggest("w").Trial!;
            if (n >= Initial)
            {
                moves.Add(sampler.LastCoordinateMoves);
            }

            tuner.Observe(trial.Id, n < Improving ? -n : 100); // minimized: better every time, then never again
        }

        int[] afterImprovements = [0, 0, 8, 8, 0, 0, 8, 8, 0, 0, 8, 8, 0, 0]; // three stalls' worth of moves, none improving
        Assert.Equal([.. Enumerable.Repeat(0, Improving - Initial), .. afterImprovements], moves);

        var replayed = new StudyState(tuner.Definition);
        foreach (var t in tuner.Trials)
        {
            replayed.Apply(new TrialCreated(t.Id, t.Assignment, "w", t.CreatedAt));
            replayed.Apply(new TrialObserved(t.Id, t.Values!, t.Metadata, t.FinishedAt!.Value));
        }

        var resumedSampler = new GpSampler(new GpOptions { CoordinateMoves = 8 });
        var resumed = Tuner.Restore(replayed, new TunerOptions { Sampler = resumedSampler });
        var next = tuner.Suggest("w").Trial!;
        Assert.Equal(next.Assignment, resumed.Suggest("w").Trial!.Assignment);
        Assert.Equal(0, sampler.LastCoordinateMoves); // stalled (2 failures since the third halving), but the moves stopped paying
        Assert.Equal(sampler.LastCoordinateMoves, resumedSampler.LastCoordinateMoves);
    }

    private static (Tuner Tuner, GpSampler Sampler) Tuned()
    {
        var sampler = new GpSampler(new GpOptions { CoordinateMoves = 8 }); // the paying schedule, K = 3, is the default
        return (new Tuner(new StyblinskiTang(2).CreateStudy(30, 1, new AlgorithmSpec("gp", 4)), new TunerOptions { Sampler = sampler }), sampler);
    }
}
