using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench.Population;

/// <summary>
/// <c>pbt-toy</c>: population based training against random search on the PBT paper's toy problem
/// (<see cref="ToyQuadratic"/>), with the same number of gradient steps. For each seed, PBT trains a population of P
/// members for G generations of S steps (exploit and explore between generations); random search trains P
/// independent runs of G·S steps, each with hyperparameters h drawn uniformly from [0, 1]². Both take P·G·S gradient
/// steps. Per population size, the table gives the fraction of seeds whose best Q came within 1 % of 1.2 and the
/// median best Q.
/// </summary>
internal static class PbtToyBenchmark
{
    /// <summary>The options <c>pbt-toy</c> takes.</summary>
    public static readonly string[] Options = ["seeds", "first-seed", "populations", "generations", "steps", "step-size", "quantile", "resample", "factors", "output"];

    /// <summary>Within 1 % of the optimum.</summary>
    private const double Target = ToyQuadratic.Optimum * 0.99;

    public static async Task RunAsync(BenchArguments arguments, string commandLine)
    {
        var seeds = arguments.Int("seeds", 20, min: 1);
        var firstSeed = arguments.Int("first-seed", 1);
        var populations = arguments.Ints("populations", "2", min: 2);
        var generations = arguments.Int("generations", 50, min: 1);
        var steps = arguments.Int("steps", 4, min: 1);
        var stepSize = arguments.Double("step-size", 0.01);
        var quantile = arguments.Double("quantile", 0.25);
        var resample = arguments.Double("resample", 0.25);
        var factors = arguments.List("factors", "0.8,1.2").Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var root = Directory.CreateTempSubdirectory("hpctune-pbt-toy-").FullName;
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"# {commandLine}");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"# PBT paper toy problem: Q(θ) = 1.2 − (θ0² + θ1²), gradient ascent on 1.2 − (h0·θ0² + h1·θ1²), θ from (0.9, 0.9), step size {stepSize}; h0, h1 in [0, 1]");
        report.AppendLine(CultureInfo.InvariantCulture,
            $"# pbt: {generations} generations of {steps} steps, quantile {quantile}, resample_probability {resample}, perturbation_factors [{string.Join(", ", factors)}]; random: one run of {generations * steps} steps per member");
        report.AppendLine(CultureInfo.InvariantCulture, $"# reached: best Q ≥ {Target:0.###} (within 1 % of 1.2); seeds {firstSeed}..{firstSeed + seeds - 1}");
        var header = new[] { "population", "algorithm", "seeds", "gradient steps", "reached", "median best Q", "worst best Q", "median h0", "median h1" };
        var rows = new List<string[]>();
        try
        {
            foreach (var population in populations)
            {
                foreach (var algorithm in new[] { "pbt", "random" })
                {
                    var results = new List<(double Best, double H0, double H1)>();
                    for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
                    {
                        var directory = Path.Combine(root, $"{algorithm}-{population}-{seed}");
                        var definition = Define(algorithm, population, generations, steps, quantile, resample, factors, seed);
                        var tuner = new Tuner(definition, new TunerOptions { CheckpointRoot = directory });
                        await tuner.OptimizeAsync(new ToyQuadratic(stepSize, (long)generations * steps), workers: population).ConfigureAwait(false);
                        var best = tuner.Trials.MaxBy(t => t.Values![ToyQuadratic.Metric])!;
                        results.Add((best.Values![ToyQuadratic.Metric], best.Assignment["h0"].Number, best.Assignment["h1"].Number));
                        if (Directory.Exists(directory))
                        {
                            Directory.Delete(directory, recursive: true);
                        }
                    }

                    rows.Add([
                        population.ToString(CultureInfo.InvariantCulture), algorithm, seeds.ToString(CultureInfo.InvariantCulture),
                        ((long)population * generations * steps).ToString(CultureInfo.InvariantCulture),
                        $"{results.Count(r => r.Best >= Target)}/{seeds}",
                        Median(results.Select(r => r.Best)).ToString("0.0000", CultureInfo.InvariantCulture),
                        results.Min(r => r.Best).ToString("0.0000", CultureInfo.InvariantCulture),
                        Median(results.Select(r => r.H0)).ToString("0.00", CultureInfo.InvariantCulture),
                        Median(results.Select(r => r.H1)).ToString("0.00", CultureInfo.InvariantCulture),
                    ]);
                }
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        report.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
        foreach (var row in rows)
        {
            report.AppendLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        }

        Console.Write(report.ToString());
        if (arguments.Has("output"))
        {
            await File.WriteAllTextAsync(arguments.Text("output", ""), report.ToString()).ConfigureAwait(false);
            Console.WriteLine($"wrote {arguments.Text("output", "")}");
        }
    }

    /// <summary>The study of one seed: pbt over P members and G generations, or random search with P runs.</summary>
    internal static StudyDefinition Define(string algorithm, int population, int generations, int steps, double quantile, double resample, double[] factors, long seed)
    {
        var spec = new AlgorithmSpec(algorithm, seed);
        var budget = population;
        if (algorithm == "pbt")
        {
            spec = spec.WithOption("population_size", population).WithOption("steps_per_generation", steps).WithOption("generations", generations)
                .WithOption("quantile", quantile).WithOption("resample_probability", resample)
                .WithOption("perturbation_factors", JsonSerializer.SerializeToElement(factors));
            budget = population * generations;
        }

        return new StudyDefinition("pbt-toy", [ParameterDefinition.Double("h0", 0, 1), ParameterDefinition.Double("h1", 0, 1)],
            [new MetricDefinition(ToyQuadratic.Metric, MetricObjective.Maximize)], budget, parallelBandwidth: population, algorithm: spec);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
