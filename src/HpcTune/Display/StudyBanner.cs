using HpcTune.Study;

namespace HpcTune.Cli.Display;

/// <summary>The line a master prints at start: which way each metric goes, so a loss maximized by mistake shows at once.</summary>
internal static class StudyBanner
{
    public static void Print(StudyDefinition definition, TextWriter output) =>
        output.WriteLine($"study '{definition.Name}': {string.Join(", ", definition.Metrics.Select(Describe))}; budget {definition.ObservationBudget}, bandwidth {definition.ParallelBandwidth}, algorithm {definition.Algorithm.Name} (seed {definition.Algorithm.Seed})");

    private static string Describe(MetricDefinition metric) => metric.Strategy switch
    {
        MetricStrategy.Constraint => $"{metric.Name} (constraint, {(metric.Objective == MetricObjective.Maximize ? ">=" : "<=")} {metric.Threshold})",
        MetricStrategy.Store => $"{metric.Name} (stored)",
        _ => $"{metric.Name} ({metric.Objective.ToString().ToLowerInvariant()})",
    };
}
