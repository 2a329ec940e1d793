using System.Globalization;
using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.Population;

/// <summary>
/// Population based training (Jaderberg et al., 2017), synchronous: each trial trains one member for one generation
/// of <see cref="PbtOptions.StepsPerGeneration"/> steps, and generation <c>g + 1</c> is planned once every member's
/// segment of generation <c>g</c> has completed. Then the members are ranked by the objective (feasible before
/// infeasible, ties to the lower member number); each of the bottom <see cref="PbtOptions.TruncationCount"/> continues
/// from the checkpoint of a top member drawn at random with that member's hyperparameters explored
/// (<see cref="Explorer"/>); every other member continues from its own checkpoint with the same hyperparameters.
/// Generation 0 draws every member's hyperparameters from the space and starts without a checkpoint.
/// <para>
/// A segment whose trial failed (or was deleted) is planned again in the same generation, from the same parent
/// checkpoint, with its hyperparameters explored (drawn again in generation 0): the generation waits for it. Failures
/// count toward <c>max_failures</c> as always, so an objective that always fails breaks the study.
/// </para>
/// <para>
/// Pure: every decision depends on the snapshot's trials and the study's seed (each segment's random numbers come
/// from <c>(seed, generation, member, try)</c>), so a resumed study plans exactly what the first run would have.
/// </para>
/// </summary>
internal sealed class PbtSampler : IPlanningSampler
{
    /// <summary>Separates pbt's random streams from random search's, which use the same study seed.</summary>
    private const long StreamSalt = 0x5042_5400;

    private readonly PbtOptions _options;
    private readonly Explorer _explorer;

    public PbtSampler(StudyDefinition definition, PbtOptions options)
    {
        ArgumentNullException.ThrowIfNull(definition);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _explorer = new Explorer(definition.Space, options);
    }

    /// <inheritdoc/>
    public string Name => PbtAlgorithmProvider.AlgorithmName;

    /// <summary>The relative checkpoint directory of trial <paramref name="trialId"/>, resolved against the study's checkpoint folder.</summary>
    public static string CheckpointDirectoryOf(long trialId) => string.Create(CultureInfo.InvariantCulture, $"checkpoints/trial-{trialId}");

    /// <inheritdoc/>
    public TrialPlan? Plan(StudySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var population = new PopulationView(snapshot, _options);
        var generation = Math.Max(population.LastGeneration, 0);
        for (var member = 0; member < _options.PopulationSize; member++)
        {
            if (population.Current(generation, member) is null)
            {
                return generation == 0 ? Start(snapshot, member) : Continue(snapshot, population, generation, member);
            }
        }

        for (var member = 0; member < _options.PopulationSize; member++)
        {
            if (PopulationView.IsLost(population.Current(generation, member)))
            {
                return Retry(snapshot, population, generation, member);
            }
        }

        return population.IsComplete(generation) && generation + 1 < _options.Generations
            ? Continue(snapshot, population, generation + 1, member: 0)
            : null;
    }

    /// <inheritdoc/>
    public bool Exhausted(StudySnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var population = new PopulationView(snapshot, _options);
        return population.LastGeneration == _options.Generations - 1 && population.IsComplete(_options.Generations - 1);
    }

    /// <summary>
    /// The next trial's assignment: what <see cref="Plan"/> gives, one at a time. The tuner asks pbt through
    /// <see cref="Plan"/>, which also gives the trial's place in the population; an assignment alone has none.
    /// </summary>
    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (count != 1 || Plan(snapshot) is not { } plan)
        {
            throw new InvalidOperationException(count != 1
                ? $"pbt plans one trial at a time with its lineage (IPlanningSampler.Plan); {count} suggestions at once were asked for"
                : "pbt has no trial to plan now: it waits for the generation's results, or its last generation is out");
        }

        return [plan.Assignment];
    }

    /// <summary>Generation 0: hyperparameters drawn from the space, no parent.</summary>
    private TrialPlan Start(StudySnapshot snapshot, int member, int attempt = 0)
    {
        var assignment = _explorer.Sample(Numbers(snapshot.Seed, 0, member, attempt));
        return new TrialPlan(assignment, Lineage(snapshot, member, 0, parent: null));
    }

    /// <summary>Generation <paramref name="generation"/> ≥ 1 of <paramref name="member"/>: continue, or exploit and explore.</summary>
    private TrialPlan Continue(StudySnapshot snapshot, PopulationView population, int generation, int member)
    {
        var previous = Enumerable.Range(0, _options.PopulationSize).Select(m => population.Current(generation - 1, m)!).ToArray();
        var ranking = Rank(snapshot.Definition, previous);
        var cut = _options.TruncationCount;
        var place = Array.IndexOf(ranking, member);
        if (place < _options.PopulationSize - cut)
        {
            var own = previous[member];
            return new TrialPlan(own.Assignment, Lineage(snapshot, member, generation, own));
        }

        var numbers = Numbers(snapshot.Seed, generation, member, attempt: 0);
        var partner = ranking[Math.Min((int)(numbers[^1] * cut), cut - 1)];
        var parent = previous[partner];
        return new TrialPlan(_explorer.Explore(parent.Assignment, numbers), Lineage(snapshot, member, generation, parent));
    }

    /// <summary>A failed or deleted segment again: same parent, explored hyperparameters (drawn again in generation 0).</summary>
    private TrialPlan Retry(StudySnapshot snapshot, PopulationView population, int generation, int member)
    {
        var tries = population.Tries(generation, member);
        var attempt = tries.Count;
        if (generation == 0)
        {
            return Start(snapshot, member, attempt);
        }

        var lost = tries[^1];
        var parent = lost.Lineage?.ParentTrialId is { } parentId ? snapshot.Trials[(int)(parentId - 1)] : null;
        var assignment = _explorer.Explore(lost.Assignment, Numbers(snapshot.Seed, generation, member, attempt));
        return new TrialPlan(assignment, Lineage(snapshot, member, generation, parent));
    }

    private TrialLineage Lineage(StudySnapshot snapshot, int member, int generation, Trial? parent) => new(
        Member: member,
        Generation: generation,
        ParentTrialId: parent?.Id,
        CheckpointDirectory: CheckpointDirectoryOf(snapshot.TrialsCreated + 1),
        StartStep: (long)generation * _options.StepsPerGeneration,
        EndStep: (long)(generation + 1) * _options.StepsPerGeneration);

    /// <summary>
    /// Member numbers from best to worst: trials with a feasible value of the objective first, by value; then the rest.
    /// Ties keep the lower member number first, so a ranking never depends on the order results arrived in.
    /// </summary>
    internal static int[] Rank(StudyDefinition definition, IReadOnlyList<Trial> trials)
    {
        var sign = definition.Objective.Objective == MetricObjective.Maximize ? -1.0 : 1.0;
        var scores = trials.Select(t => Score(definition, t)).ToArray();
        return [.. Enumerable.Range(0, trials.Count)
            .OrderBy(m => scores[m] is null ? 1 : 0)
            .ThenBy(m => sign * (scores[m] ?? 0.0))
            .ThenBy(m => m)];
    }

    /// <summary>The trial's objective value when it has one and meets every constraint, else null.</summary>
    private static double? Score(StudyDefinition definition, Trial trial)
    {
        if (trial.Values is not { } values || !values.TryGetValue(definition.Objective.Name, out var value) || !double.IsFinite(value))
        {
            return null;
        }

        foreach (var metric in definition.Metrics)
        {
            if (metric.Strategy == MetricStrategy.Constraint
                && (!values.TryGetValue(metric.Name, out var measured) || metric.IsBetter(metric.Threshold!.Value, measured)))
            {
                return null;
            }
        }

        return value;
    }

    /// <summary>The uniform numbers of one try of one segment: the explorer's, then one for the choice of a top member.</summary>
    private double[] Numbers(long seed, int generation, int member, int attempt)
    {
        var numbers = new double[_explorer.NumbersNeeded + 1];
        var stream = Seeds.Derive(Seeds.Derive(Seeds.Derive(Seeds.Derive(seed, StreamSalt), generation), member), attempt);
        Seeds.FillUniform(stream, numbers);
        return numbers;
    }
}
