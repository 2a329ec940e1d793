using HpcTune.Sampling;
using HpcTune.Search.Evolution;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.Tests.Evolution;

/// <summary>Studies, spaces and hand-made trials for evolution's tests.</summary>
internal static class EvolutionFixtures
{
    public const string Metric = "loss";

    /// <summary>A space with every kind of dimension: linear, log and stepped numbers, ints, a categorical, and a switch with two branches.</summary>
    public static (IReadOnlyList<ParameterDefinition> Parameters, IReadOnlyList<ConditionalDefinition> Conditionals) RichSpace()
    {
        var branch = new Dictionary<string, IReadOnlyList<string>>
        {
            ["model"] = ["tree"],
        };
        var net = new Dictionary<string, IReadOnlyList<string>>
        {
            ["model"] = ["net", "wide"],
        };
        return (
        [
            ParameterDefinition.Double("x", -2, 3),
            ParameterDefinition.Double("rate", 1e-5, 1, Transformation.Log),
            ParameterDefinition.Double("dropout", 0, 0.5, step: 0.05),
            ParameterDefinition.Int("n", 1, 7),
            ParameterDefinition.Int("units", 8, 1024, Transformation.Log),
            ParameterDefinition.Int("batch", 16, 256, step: 16),
            ParameterDefinition.Categorical("act", "relu", "tanh", "gelu"),
            ParameterDefinition.Int("depth", 1, 30).WithConditions(branch),
            ParameterDefinition.Double("width", 0.1, 10, Transformation.Log).WithConditions(net),
            ParameterDefinition.Categorical("norm", "batch", "layer").WithConditions(net),
        ],
        [new ConditionalDefinition("model", "tree", "net", "wide")]);
    }

    /// <summary>An evolution study minimizing <see cref="Metric"/> over <paramref name="parameters"/> (two doubles in [0, 1] by default).</summary>
    public static StudyDefinition EvolutionStudy(int? population = null, int? sample = null, long seed = 7, IEnumerable<ParameterDefinition>? parameters = null,
        IEnumerable<ConditionalDefinition>? conditionals = null, IEnumerable<MetricDefinition>? extraMetrics = null,
        MetricObjective objective = MetricObjective.Minimize, int budget = 200)
    {
        SearchAlgorithms.Register();
        var algorithm = new AlgorithmSpec("evolution", seed);
        algorithm = population is { } p ? algorithm.WithOption("population_size", p) : algorithm;
        algorithm = sample is { } s ? algorithm.WithOption("sample_size", s) : algorithm;
        return new StudyDefinition("evolution-test",
            parameters ?? [ParameterDefinition.Double("a", 0, 1), ParameterDefinition.Double("b", 0, 1)],
            [new MetricDefinition(Metric, objective), .. extraMetrics ?? []],
            budget, parallelBandwidth: 8, algorithm: algorithm, conditionals: conditionals);
    }

    public static EvolutionSampler Sampler(StudyDefinition definition) =>
        (EvolutionSampler)AlgorithmRegistry.Default.CreateSampler(definition);

    /// <summary>A trial of <paramref name="assignment"/>, completed with <paramref name="value"/> unless another state is given.</summary>
    public static Trial TrialOf(long id, Assignment assignment, double? value, TrialState state = TrialState.Completed,
        IReadOnlyDictionary<string, double>? values = null) => new()
        {
            Id = id,
            Assignment = assignment,
            State = state,
            Worker = $"w{id}",
            CreatedAt = DateTimeOffset.UnixEpoch,
            SuggestedAt = DateTimeOffset.UnixEpoch,
            Values = values ?? (value is { } v ? new Dictionary<string, double> { [Metric] = v } : null),
        };

    /// <summary>
    /// A study history made by the sampler itself: <paramref name="count"/> trials suggested one at a time and
    /// completed with <paramref name="loss"/> at once.
    /// </summary>
    public static List<Trial> History(StudyDefinition definition, int count, Func<Assignment, double> loss)
    {
        var sampler = Sampler(definition);
        var trials = new List<Trial>();
        for (var i = 0; i < count; i++)
        {
            var assignment = sampler.Suggest(new StudySnapshot(definition, trials), 1, CancellationToken.None)[0];
            trials.Add(TrialOf(i + 1, assignment, loss(assignment)));
        }

        return trials;
    }

    /// <summary>The sum of the squared distances of the numeric values to 0.3.</summary>
    public static double Bowl(Assignment assignment) =>
        assignment.Where(p => p.Value.IsNumber).Sum(p => (p.Value.Number - 0.3) * (p.Value.Number - 0.3));
}
