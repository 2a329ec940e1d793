using System.Text.Json;
using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Tests.Scheduling;

/// <summary>A rule that stops a trial whose loss at a step of at least <c>at_step</c> is above <c>above</c>; its options prove the registry's path.</summary>
internal sealed class ThresholdRuleProvider : IEarlyStoppingProvider
{
    public static readonly ThresholdRuleProvider Instance = new();

    public string Name => "test-threshold";

    public void Validate(StudyDefinition definition) => Read(definition);

    public IEarlyStopping Create(StudyDefinition definition)
    {
        var (atStep, above) = Read(definition);
        return new Rule(atStep, above);
    }

    private static (long AtStep, double Above) Read(StudyDefinition definition)
    {
        var reader = new AlgorithmOptionReader(definition.EarlyStopping!);
        var atStep = reader.Int32("at_step", min: 0) ?? 2;
        var above = reader.Number("above") ?? 0.5;
        reader.RejectUnknown();
        return (atStep, above);
    }

    private sealed class Rule(long atStep, double above) : IEarlyStopping
    {
        public string Name => "test-threshold";

        public StopDecision Decide(StudySnapshot study, Trial trial) =>
            trial.Reports[^1] is var last && last.Step >= atStep && last.Values["loss"] > above
                ? StopDecision.StopBecause($"loss {last.Values["loss"]} above {above} at step {last.Step}")
                : StopDecision.Continue;
    }
}

/// <summary>Plans a fixed list of trials with lineage, one generation at a time: a generation waits for the previous one.</summary>
internal sealed class TwoGenerationPlanner : IPlanningSampler
{
    public string Name => "test-planner";

    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation) =>
        throw new InvalidOperationException("a planning sampler is asked to plan, never to suggest");

    public TrialPlan? Plan(StudySnapshot snapshot)
    {
        var created = snapshot.TrialsCreated;
        if (created >= 4 || (created == 2 && snapshot.Trials.Any(t => t.State != TrialState.Completed)))
        {
            return null;
        }

        var generation = created / 2;
        var member = created % 2;
        long? parent = generation == 0 ? null : snapshot.Trials[member].Id;
        return new TrialPlan(
            new Assignment(["x"], [0.25 + (0.5 * member)]),
            new TrialLineage(member, generation, parent, $"checkpoints/trial-{created + 1}", generation * 5, (generation + 1) * 5));
    }

    public bool Exhausted(StudySnapshot snapshot) => snapshot.TrialsCreated >= 4 && snapshot.Pending.Count == 0;
}

internal static class SchedulingStudies
{
    public static StudyDefinition WithRule(int budget = 4, string options = """{"at_step": 2, "above": 0.5}""")
    {
        EarlyStoppingRegistry.Default.Add(ThresholdRuleProvider.Instance);
        var spec = new EarlyStoppingSpec(ThresholdRuleProvider.Instance.Name)
        {
            Options = JsonDocument.Parse(options).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal),
        };
        return new StudyDefinition("es", [ParameterDefinition.Double("x", 0, 1)], [new MetricDefinition("loss", MetricObjective.Minimize)],
            budget, 2, null, new AlgorithmSpec("sobol", 7), earlyStopping: spec);
    }

    public static Dictionary<string, double> Loss(double value) => new() { ["loss"] = value };
}
