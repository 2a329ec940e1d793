using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.Tests.Population;

/// <summary>Studies and hand-made trials of a population for pbt's tests.</summary>
internal static class PopulationFixtures
{
    public const string Metric = "q";

    /// <summary>A pbt study over h0, h1 in [0, 1] maximizing q; options beyond the three required ones as given.</summary>
    public static StudyDefinition PbtStudy(int population = 4, int steps = 2, int generations = 3, double? quantile = null,
        double? resample = null, double[]? factors = null, int? budget = null, IEnumerable<ParameterDefinition>? parameters = null,
        MetricObjective objective = MetricObjective.Maximize, IEnumerable<MetricDefinition>? extraMetrics = null,
        IEnumerable<ConditionalDefinition>? conditionals = null, long seed = 7)
    {
        SearchAlgorithms.Register();
        var algorithm = new AlgorithmSpec("pbt", seed)
            .WithOption("population_size", population)
            .WithOption("steps_per_generation", steps)
            .WithOption("generations", generations);
        if (quantile is { } q)
        {
            algorithm = algorithm.WithOption("quantile", q);
        }

        if (resample is { } r)
        {
            algorithm = algorithm.WithOption("resample_probability", r);
        }

        if (factors is not null)
        {
            algorithm = algorithm.WithOption("perturbation_factors", System.Text.Json.JsonSerializer.SerializeToElement(factors));
        }

        return new StudyDefinition("pbt-test",
            parameters ?? [ParameterDefinition.Double("h0", 0, 1), ParameterDefinition.Double("h1", 0, 1)],
            [new MetricDefinition(Metric, objective), .. extraMetrics ?? []],
            budget ?? (population * generations), parallelBandwidth: population, algorithm: algorithm, conditionals: conditionals);
    }

    /// <summary>A trial as the tuner would hold it after <paramref name="plan"/> was handed out, then finished as <paramref name="state"/>.</summary>
    public static Trial TrialOf(long id, TrialPlan plan, TrialState state = TrialState.Open, double? value = null) => new()
    {
        Id = id,
        Assignment = plan.Assignment,
        State = state,
        Worker = $"w{id}",
        CreatedAt = DateTimeOffset.UnixEpoch,
        SuggestedAt = DateTimeOffset.UnixEpoch,
        Values = value is { } v ? new Dictionary<string, double> { [Metric] = v } : null,
        Lineage = plan.Lineage,
    };

    /// <summary>Plans every member of the next generation of <paramref name="trials"/> and hands each out (Open).</summary>
    public static List<Trial> PlanGeneration(StudyDefinition definition, IPlanningSampler sampler, List<Trial> trials, int population)
    {
        for (var m = 0; m < population; m++)
        {
            var plan = sampler.Plan(new StudySnapshot(definition, trials)) ?? throw new InvalidOperationException($"no plan for member {m}");
            trials.Add(TrialOf(trials.Count + 1, plan));
        }

        return trials;
    }

    /// <summary>Completes the open trials of <paramref name="trials"/> with values given per member.</summary>
    public static void Complete(List<Trial> trials, Func<Trial, double> value)
    {
        for (var i = 0; i < trials.Count; i++)
        {
            if (trials[i].State == TrialState.Open)
            {
                trials[i] = trials[i] with { State = TrialState.Completed, Values = new Dictionary<string, double> { [Metric] = value(trials[i]) } };
            }
        }
    }

    public static double H(Trial trial, string name) => trial.Assignment[name].Number;
}
