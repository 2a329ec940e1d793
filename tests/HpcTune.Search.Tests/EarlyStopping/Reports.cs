using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.Tests.EarlyStopping;

/// <summary>Studies, trials and snapshots made by hand, for deciding on report sequences.</summary>
internal static class Reports
{
    public static StudyDefinition MakeStudy(EarlyStoppingSpec rule, MetricObjective direction = MetricObjective.Minimize, string algorithm = "random", int budget = 100)
    {
        SearchAlgorithms.Register();
        return new StudyDefinition("es", [ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", direction), new MetricDefinition("acc", MetricObjective.Maximize, MetricStrategy.Store)],
            budget, 4, null, new AlgorithmSpec(algorithm, 7), earlyStopping: rule);
    }

    public static EarlyStoppingSpec Asha(long minSteps = 1, long reductionFactor = 3, long? maxSteps = null)
    {
        var spec = new EarlyStoppingSpec("asha").WithOption("min_steps", minSteps).WithOption("reduction_factor", reductionFactor);
        return maxSteps is { } max ? spec.WithOption("max_steps", max) : spec;
    }

    public static IEarlyStopping Rule(StudyDefinition definition) => EarlyStoppingRegistry.Default.Create(definition)!;

    /// <summary>A trial with <paramref name="losses"/> reported at <paramref name="steps"/> (1, 2, 3, ... when null).</summary>
    public static Trial Trial(StudyDefinition definition, long id, IReadOnlyList<double> losses, IReadOnlyList<long>? steps = null, TrialState state = TrialState.Open, string metric = "loss")
    {
        var reports = losses.Select((loss, i) => new TrialReport(steps?[i] ?? i + 1, new Dictionary<string, double> { [metric] = loss }, DateTimeOffset.UnixEpoch)).ToList();
        return new Trial
        {
            Id = id,
            Assignment = definition.Space.Decode([id / 1000.0]),
            State = state,
            Worker = "w",
            CreatedAt = DateTimeOffset.UnixEpoch,
            SuggestedAt = DateTimeOffset.UnixEpoch,
            Reports = reports,
            Values = state == TrialState.Pruned && reports.Count > 0 ? reports[^1].Values : null,
        };
    }

    public static StudySnapshot Snapshot(StudyDefinition definition, params Trial[] trials) => new(definition, trials);

    /// <summary>Decides for the last of <paramref name="trials"/> in a snapshot of them all.</summary>
    public static StopDecision DecideLast(IEarlyStopping rule, StudyDefinition definition, params Trial[] trials) =>
        rule.Decide(Snapshot(definition, trials), trials[^1]);
}
