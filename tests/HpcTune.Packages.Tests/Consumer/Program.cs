using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Sampling;
using HpcTune.Search;
using HpcTune.Study;
using HpcTune.Tuning;

// A user's program that references the HpcTune package (PackageLayoutTests builds it against the local feed): a GP
// study in process, then which linear algebra ran and which libhpctune_la file this process mapped.
GpSampler.Register();
SearchAlgorithms.Register();
var study = StudyDefinitionJson.Parse("""
    {
      "name": "package-consumer",
      "parameters": [
        {"name": "x", "type": "double", "bounds": {"min": -2, "max": 2}},
        {"name": "y", "type": "double", "bounds": {"min": -2, "max": 2}}
      ],
      "metrics": [{"name": "loss", "objective": "minimize"}],
      "observation_budget": 12,
      "parallel_bandwidth": 2,
      "algorithm": {"name": "gp", "initial_points": 4, "seed": 7}
    }
    """);
var summary = await new Tuner(study).OptimizeAsync(a => Math.Pow(a.GetDouble("x") - 0.5, 2) + Math.Pow(a.GetDouble("y") + 0.25, 2), workers: 2);
Console.WriteLine($"status: {summary.Progress.Status}");
Console.WriteLine($"completed: {summary.Progress.Completed}/{summary.Progress.Budget}");
Console.WriteLine($"best loss: {summary.Best!.Values!["loss"]:R}");
Console.WriteLine($"linear algebra: {LinearAlgebraProviders.Default.Name}");
var mapped = File.ReadLines("/proc/self/maps")
    .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    .Where(fields => fields.Length >= 6 && fields[^1].EndsWith("/libhpctune_la.so", StringComparison.Ordinal))
    .Select(fields => fields[^1])
    .FirstOrDefault();
Console.WriteLine($"libhpctune_la: {mapped ?? "not loaded"}");
