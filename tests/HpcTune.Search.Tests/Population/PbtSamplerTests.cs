using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Search.Population;
using HpcTune.Study;
using HpcTune.Trials;
using static HpcTune.Search.Tests.Population.PopulationFixtures;

namespace HpcTune.Search.Tests.Population;

public sealed class PbtSamplerTests
{
    [Fact]
    public void Generation_zero_draws_every_member_from_the_space_without_a_parent()
    {
        var definition = PbtStudy(population: 4, steps: 3);
        var sampler = Sampler(definition);
        var trials = PlanGeneration(definition, sampler, [], 4);

        Assert.Equal([0, 1, 2, 3], trials.Select(t => t.Lineage!.Member!.Value));
        Assert.All(trials, t =>
        {
            Assert.Equal(0, t.Lineage!.Generation);
            Assert.Null(t.Lineage.ParentTrialId);
            Assert.Equal($"checkpoints/trial-{t.Id}", t.Lineage.CheckpointDirectory);
            Assert.Equal((0L, 3L), (t.Lineage.StartStep!.Value, t.Lineage.EndStep!.Value));
            Assert.InRange(H(t, "h0"), 0, 1);
        });
        Assert.Equal(4, trials.Select(t => t.Assignment).Distinct().Count());
        Assert.Null(sampler.Plan(new StudySnapshot(definition, trials))); // the generation runs: wait
        Assert.False(sampler.Exhausted(new StudySnapshot(definition, trials)));
    }

    [Fact]
    public void The_same_snapshot_gives_the_same_plan_and_another_seed_another()
    {
        var definition = PbtStudy();
        var trials = PlanGeneration(definition, Sampler(definition), [], 4);
        Complete(trials, t => t.Id);
        var snapshot = new StudySnapshot(definition, trials);

        Assert.Equal(Sampler(definition).Plan(snapshot), Sampler(definition).Plan(snapshot));
        var reseeded = PbtStudy(seed: 8);
        Assert.NotEqual(Sampler(definition).Plan(new StudySnapshot(definition, []))!.Assignment, Sampler(reseeded).Plan(new StudySnapshot(reseeded, []))!.Assignment);
    }

    [Fact]
    public void Bottom_members_exploit_a_top_member_and_perturb_its_hyperparameters_while_the_others_continue()
    {
        // Four members, quantile 0.25: one top, one bottom. Perturbation only (no resampling), by 0.5 or 2.
        var definition = PbtStudy(population: 4, steps: 2, quantile: 0.25, resample: 0, factors: [0.5, 2]);
        var sampler = Sampler(definition);
        var trials = PlanGeneration(definition, sampler, [], 4);
        double[] q = [0.3, 0.9, 0.1, 0.5]; // member 1 is top, member 2 bottom
        Complete(trials, t => q[t.Lineage!.Member!.Value]);
        var generation0 = trials.ToArray();

        PlanGeneration(definition, sampler, trials, 4);
        var generation1 = trials.Skip(4).ToArray();
        Assert.All(generation1, t =>
        {
            Assert.Equal(1, t.Lineage!.Generation);
            Assert.Equal((2L, 4L), (t.Lineage.StartStep!.Value, t.Lineage.EndStep!.Value));
            Assert.Equal($"checkpoints/trial-{t.Id}", t.Lineage.CheckpointDirectory);
        });

        foreach (var member in new[] { 0, 1, 3 })
        {
            var next = generation1[member];
            Assert.Equal(generation0[member].Id, next.Lineage!.ParentTrialId);
            Assert.Equal(generation0[member].Assignment, next.Assignment);
        }

        var exploiting = generation1[2];
        Assert.Equal(generation0[1].Id, exploiting.Lineage!.ParentTrialId); // the top member's checkpoint
        foreach (var name in new[] { "h0", "h1" })
        {
            var parent = H(generation0[1], name);
            Assert.Contains(H(exploiting, name), new[] { parent * 0.5, Math.Min(parent * 2, 1.0) });
        }
    }

    [Fact]
    public void With_a_larger_quantile_each_bottom_member_takes_one_of_the_top_members()
    {
        var definition = PbtStudy(population: 8, generations: 4, quantile: 0.5);
        var sampler = Sampler(definition);
        var trials = PlanGeneration(definition, sampler, [], 8);
        Complete(trials, t => -t.Lineage!.Member!.Value); // member 0 best … member 7 worst
        PlanGeneration(definition, sampler, trials, 8);

        var parents = trials.Skip(8).Select(t => t.Lineage!.ParentTrialId!.Value).ToArray();
        Assert.Equal([1L, 2, 3, 4], parents[..4]); // the top half continues its own
        Assert.All(parents[4..], p => Assert.InRange(p, 1L, 4L)); // the bottom half copies a top one
    }

    [Fact]
    public void Minimizing_ranks_low_values_on_top_and_an_infeasible_member_at_the_bottom()
    {
        var definition = PbtStudy(population: 3, objective: MetricObjective.Minimize,
            extraMetrics: [new MetricDefinition("mem", MetricObjective.Minimize, MetricStrategy.Constraint, 1.0)]);
        Trial Made(int member, double q, double mem) => new()
        {
            Id = member + 1,
            Assignment = definition.Space.Decode([0.5, 0.5]),
            State = TrialState.Completed,
            Worker = "w",
            CreatedAt = default,
            SuggestedAt = default,
            Values = new Dictionary<string, double> { [Metric] = q, ["mem"] = mem },
            Lineage = new TrialLineage(member, 0),
        };

        Assert.Equal([2, 1, 0], PbtSampler.Rank(definition, [Made(0, 0.1, 5.0), Made(1, 0.3, 0.5), Made(2, 0.2, 0.5)]));
        Assert.Equal([0, 1], PbtSampler.Rank(PbtStudy(population: 2), [Made(0, 0.4, 0), Made(1, 0.4, 0)])); // a tie: lower member first
    }

    [Fact]
    public void A_failed_segment_is_planned_again_from_the_same_parent_before_the_next_generation()
    {
        var definition = PbtStudy(population: 2, generations: 3, resample: 0, factors: [0.5]);
        var sampler = Sampler(definition);
        var trials = PlanGeneration(definition, sampler, [], 2);
        Complete(trials, t => t.Id);
        PlanGeneration(definition, sampler, trials, 2); // trials 3 (member 0, exploits member 1) and 4 (member 1)
        trials[2] = trials[2] with { State = TrialState.Failed, Reason = "diverged" };
        trials[3] = trials[3] with { State = TrialState.Completed, Values = new Dictionary<string, double> { [Metric] = 1 } };

        var retry = sampler.Plan(new StudySnapshot(definition, trials))!;
        Assert.Equal(new TrialLineage(0, 1, trials[2].Lineage!.ParentTrialId, "checkpoints/trial-5", 2, 4), retry.Lineage);
        Assert.Equal(H(trials[2], "h0") * 0.5, retry.Assignment["h0"].Number, 12); // explored again

        trials.Add(TrialOf(5, retry));
        Assert.Null(sampler.Plan(new StudySnapshot(definition, trials))); // generation 2 waits for the retry
        trials[4] = trials[4] with { State = TrialState.Deleted };
        var again = sampler.Plan(new StudySnapshot(definition, trials))!;
        Assert.Equal((0, 1, "checkpoints/trial-6"), (again.Lineage.Member!.Value, again.Lineage.Generation!.Value, again.Lineage.CheckpointDirectory));

        trials.Add(TrialOf(6, again, TrialState.Completed, 2));
        var next = sampler.Plan(new StudySnapshot(definition, trials))!;
        Assert.Equal((0, 2), (next.Lineage.Member!.Value, next.Lineage.Generation!.Value));
        Assert.Equal(6, next.Lineage.ParentTrialId); // member 0's segment of generation 1 is its last try, now the best
    }

    [Fact]
    public void A_failed_first_segment_is_drawn_from_the_space_again()
    {
        var definition = PbtStudy(population: 2);
        var sampler = Sampler(definition);
        var trials = PlanGeneration(definition, sampler, [], 2);
        trials[1] = trials[1] with { State = TrialState.Failed };
        var retry = sampler.Plan(new StudySnapshot(definition, trials))!;
        Assert.Equal(new TrialLineage(1, 0, null, "checkpoints/trial-3", 0, 2), retry.Lineage);
        Assert.NotEqual(trials[1].Assignment, retry.Assignment);
    }

    [Fact]
    public void After_the_last_generation_completes_the_study_is_exhausted()
    {
        var definition = PbtStudy(population: 2, generations: 2);
        var sampler = Sampler(definition);
        var trials = PlanGeneration(definition, sampler, [], 2);
        Complete(trials, t => t.Id);
        PlanGeneration(definition, sampler, trials, 2);
        Assert.False(sampler.Exhausted(new StudySnapshot(definition, trials))); // out, not in
        Complete(trials, t => t.Id);

        var snapshot = new StudySnapshot(definition, trials);
        Assert.Null(sampler.Plan(snapshot));
        Assert.True(sampler.Exhausted(snapshot));
    }

    [Fact]
    public void Trials_without_a_place_in_the_population_are_not_members()
    {
        var definition = PbtStudy(population: 2, generations: 2);
        var sampler = Sampler(definition);
        List<Trial> trials = [new()
        {
            Id = 1,
            Assignment = definition.Space.Decode([0.2, 0.2]),
            State = TrialState.Completed,
            Worker = "user",
            CreatedAt = default,
            SuggestedAt = default,
            Values = new Dictionary<string, double> { [Metric] = 100 },
        }];
        var plan = sampler.Plan(new StudySnapshot(definition, trials))!;
        Assert.Equal(new TrialLineage(0, 0, null, "checkpoints/trial-2", 0, 2), plan.Lineage);
    }

    [Fact]
    public void Suggest_gives_the_planned_assignment_one_at_a_time()
    {
        var definition = PbtStudy();
        var sampler = Sampler(definition);
        var snapshot = new StudySnapshot(definition, []);
        Assert.Equal(sampler.Plan(snapshot)!.Assignment, Assert.Single(sampler.Suggest(snapshot, 1, CancellationToken.None)));
        Assert.Contains("one trial at a time", Assert.Throws<InvalidOperationException>(() => sampler.Suggest(snapshot, 2, CancellationToken.None)).Message, StringComparison.Ordinal);
    }

    private static IPlanningSampler Sampler(StudyDefinition definition) => Assert.IsType<PbtSampler>(AlgorithmRegistry.Default.CreateSampler(definition));
}
