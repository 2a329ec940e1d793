using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Cli.Display;

/// <summary>Prints how a study ended and its best trial.</summary>
internal static class SummaryPrinter
{
    public static void Print(StudyDefinition definition, StudySummary summary, TextWriter output)
    {
        var p = summary.Progress;
        output.WriteLine($"study '{definition.Name}' {p.Status.ToString().ToLowerInvariant()}: {p.Completed}/{p.Budget} completed, {p.Failed} failed, in {summary.Elapsed.TotalSeconds:F2} s (seed {definition.Algorithm.Seed})");
        if (summary.Best is not { } best)
        {
            output.WriteLine("no completed trial");
            return;
        }

        var metric = definition.Objective;
        output.WriteLine($"best trial {best.Id}: {metric.Name} = {best.Values![metric.Name]:G10} ({metric.Objective.ToString().ToLowerInvariant()}d)");
        foreach (var (name, value) in best.Assignment)
        {
            output.WriteLine($"  {name} = {value}");
        }
    }
}
