using System.Diagnostics;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// Regret on the conditional benchmark <see cref="ConditionalTestFunction"/> (three branches, each with parameters of its
/// own) of any registered algorithm, over seeds, at several evaluation counts, sequentially and with suggestions kept
/// open (the oldest evaluated first). Every suggestion is checked against the space's own validation (inactive
/// parameters absent, active ones present and in range); a count of invalid ones is reported. Besides the registered
/// names, <c>gp-indicators</c> and <c>gp-impute</c> are the GP with each <see cref="ConditionalEncoding"/>.
/// </summary>
internal static class ConditionalBenchmark
{
    /// <summary>The options <c>conditional</c> takes.</summary>
    public static readonly string[] Options = ["seeds", "first-seed", "budget", "at", "open", "algorithms", "parallel", "output"];

    public static void Run(BenchArguments arguments, string command)
    {
        var seeds = arguments.Int("seeds", 20, min: 1);
        var firstSeed = arguments.Int("first-seed", 1);
        var budget = arguments.Int("budget", 100, min: 1);
        var checkpoints = arguments.Ints("at", "50,100", min: 1);
        if (checkpoints.FirstOrDefault(c => c > budget) is var late and > 0)
        {
            throw new ArgumentException($"--at {late} lies beyond --budget {budget}");
        }

        var opens = arguments.Ints("open", "1,8", min: 1);
        var parallel = arguments.Int("parallel", 1, min: 1);
        var algorithms = arguments.List("algorithms", "gp,random,sobol");
        foreach (var algorithm in algorithms)
        {
            try
            {
                _ = CreateSampler(algorithm, CreateStudy(algorithm, firstSeed, budget, opens[0]));
            }
            catch (DefinitionException e)
            {
                throw new ArgumentException($"--algorithms {algorithm}: {e.Message}", e);
            }
        }

        var rows = new List<string[]>();
        foreach (var open in opens)
        {
            foreach (var algorithm in algorithms)
            {
                var results = new (double[] Best, int Invalid, TimeSpan Optimizer, int BranchC)[seeds];
                Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => results[i] = RunOnce(algorithm, firstSeed + i, budget, open));
                var invalid = results.Sum(r => r.Invalid);
                var seconds = QualityBenchmark.Quartiles([.. results.Select(r => r.Optimizer.TotalSeconds)]).Median;
                var branchC = QualityBenchmark.Quartiles([.. results.Select(r => (double)r.BranchC / budget)]).Median;
                foreach (var c in checkpoints)
                {
                    var regrets = results.Select(r => r.Best[c - 1] - ConditionalTestFunction.Minimum).ToList();
                    var (median, q1, q3) = QualityBenchmark.Quartiles(regrets);
                    rows.Add([ConditionalTestFunction.Name, open.ToString(), algorithm, c.ToString(), Table.Number(median), Table.Number(q1), Table.Number(q3),
                        Table.Number(regrets.Average()), Table.Number(branchC), invalid.ToString(), Table.Number(seconds)]);
                }

                Console.Error.WriteLine($"{ConditionalTestFunction.Name} open={open} {algorithm}: done");
            }
        }

        string[] header = ["function", "open", "algorithm", "evaluations", "median_regret", "q1", "q3", "mean_regret", "share_in_c", "invalid", "optimizer_s_per_run"];
        var output = arguments.Text("output", "");
        if (output == "")
        {
            Table.Emit(header, rows, null);
            return;
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var lines = new List<string> { $"# {command}", $"# {seeds} seeds from {firstSeed}; regret = best value found (the minimum is 0); share_in_c = median share of suggestions in branch c (the best one); invalid = suggestions the space's validation refused" };
        lines.Add(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        lines.AddRange(rows.Select(r => string.Join("  ", r.Select((v, i) => v.PadRight(widths[i])))));
        File.WriteAllLines(output, lines);
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    /// <summary>Best value after each evaluation, suggestions the space refused, the time inside Suggest, and suggestions in branch c.</summary>
    internal static (double[] Best, int Invalid, TimeSpan Optimizer, int BranchC) RunOnce(string algorithm, int seed, int budget, int open)
    {
        var study = CreateStudy(algorithm, seed, budget, open);
        var tuner = new Tuner(study, new TunerOptions { Sampler = CreateSampler(algorithm, study) });
        var pending = new Queue<Trial>();
        var best = new double[budget];
        var current = double.PositiveInfinity;
        var clock = new Stopwatch();
        var invalid = 0;
        var branchC = 0;
        var slot = 0;
        for (var done = 0; done < budget;)
        {
            clock.Start();
            var first = slot;
            slot += open - pending.Count;
            var issued = tuner.Suggest([.. Enumerable.Range(first, slot - first).Select(i => $"w{i}")]).Where(o => o.Status == SuggestStatus.Issued).Select(o => o.Trial!).ToList();
            clock.Stop();
            foreach (var trial in issued)
            {
                pending.Enqueue(trial);
            }

            var next = pending.Dequeue();
            invalid += IsValid(study.Space, next.Assignment) ? 0 : 1;
            branchC += next.Assignment.GetString("model") == "c" ? 1 : 0;
            var value = ConditionalTestFunction.Evaluate(next.Assignment);
            tuner.Observe(next.Id, value);
            current = Math.Min(current, value);
            best[done++] = current;
        }

        return (best, invalid, clock.Elapsed, branchC);
    }

    private static bool IsValid(SearchSpace space, Assignment assignment)
    {
        try
        {
            return space.CreateAssignment(assignment).Equals(assignment);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static StudyDefinition CreateStudy(string algorithm, int seed, int budget, int open) =>
        ConditionalTestFunction.CreateStudy(budget, open, new AlgorithmSpec(Encodings.ContainsKey(algorithm) ? "gp" : algorithm, seed));

    /// <summary>The GP's conditional encodings by benchmark name, besides the registry's <c>gp</c>.</summary>
    private static readonly Dictionary<string, ConditionalEncoding> Encodings = new(StringComparer.Ordinal)
    {
        ["gp-indicators"] = ConditionalEncoding.Indicators,
        ["gp-impute"] = ConditionalEncoding.ImputeOnly,
    };

    /// <summary>The sampler of <paramref name="algorithm"/>: the registry's, or the GP with a given conditional encoding.</summary>
    private static ISampler CreateSampler(string algorithm, StudyDefinition study) => Encodings.TryGetValue(algorithm, out var encoding)
        ? new GpSampler(GpSampler.OptionsFor(study) with { Conditional = encoding })
        : AlgorithmRegistry.Default.CreateSampler(study);
}
