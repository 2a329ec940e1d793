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
/// Regret on a conditional benchmark (<see cref="ConditionalTestFunction"/>, three branches with parameters of their own;
/// <see cref="HierarchicalTestFunction"/>, two switches and a parameter under both) of any registered algorithm, over seeds, at several evaluation counts, sequentially and with suggestions kept
/// open (the oldest evaluated first). Every suggestion is checked against the space's own validation (inactive
/// parameters absent, active ones present and in range); a count of invalid ones is reported. Besides the registered
/// names, <c>gp-indicators</c> and <c>gp-impute</c> are the GP with each <see cref="ConditionalEncoding"/>, and
/// <c>gp-one-region</c> and <c>gp-impute-one-region</c> the same with a trust region that bounds every branch's candidates.
/// </summary>
internal static class ConditionalBenchmark
{
    /// <summary>The options <c>conditional</c> takes.</summary>
    public static readonly string[] Options = ["function", "seeds", "first-seed", "budget", "at", "open", "algorithms", "parallel", "output"];

    /// <summary>A conditional benchmark: its study, its value, and whether an assignment lies in the branch of the global minimum (0).</summary>
    internal sealed record Problem(string Name, Func<int, int, AlgorithmSpec, StudyDefinition> CreateStudy, Func<Assignment, double> Evaluate, Func<Assignment, bool> InBestBranch);

    private static readonly Problem[] Problems =
    [
        new(ConditionalTestFunction.Name, ConditionalTestFunction.CreateStudy, ConditionalTestFunction.Evaluate, a => a.GetString("model") == "c"),
        new(HierarchicalTestFunction.Name, HierarchicalTestFunction.CreateStudy, HierarchicalTestFunction.Evaluate, a => a.GetString("opt") == "sgd" && a.GetString("sched") == "decay"),
    ];

    public static void Run(BenchArguments arguments, string command)
    {
        var name = arguments.Text("function", ConditionalTestFunction.Name);
        var problem = Problems.FirstOrDefault(p => p.Name == name) ?? throw new ArgumentException($"--function: expected one of {string.Join(", ", Problems.Select(p => p.Name))}, got '{name}'");
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
                _ = CreateSampler(algorithm, CreateStudy(problem, algorithm, firstSeed, budget, opens[0]));
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
                Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => results[i] = RunOnce(problem, algorithm, firstSeed + i, budget, open));
                var invalid = results.Sum(r => r.Invalid);
                var seconds = QualityBenchmark.Quartiles([.. results.Select(r => r.Optimizer.TotalSeconds)]).Median;
                var inBest = QualityBenchmark.Quartiles([.. results.Select(r => (double)r.BranchC / budget)]).Median;
                foreach (var c in checkpoints)
                {
                    var regrets = results.Select(r => r.Best[c - 1]).ToList(); // every problem's minimum is 0
                    var (median, q1, q3) = QualityBenchmark.Quartiles(regrets);
                    rows.Add([problem.Name, open.ToString(), algorithm, c.ToString(), Table.Number(median), Table.Number(q1), Table.Number(q3),
                        Table.Number(regrets.Average()), Table.Number(inBest), invalid.ToString(), Table.Number(seconds)]);
                }

                Console.Error.WriteLine($"{problem.Name} open={open} {algorithm}: done");
            }
        }

        string[] header = ["function", "open", "algorithm", "evaluations", "median_regret", "q1", "q3", "mean_regret", "share_in_best_branch", "invalid", "optimizer_s_per_run"];
        var output = arguments.Text("output", "");
        if (output == "")
        {
            Table.Emit(header, rows, null);
            return;
        }

        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var lines = new List<string> { $"# {command}", $"# {seeds} seeds from {firstSeed}; regret = best value found (the minimum is 0); share_in_best_branch = median share of suggestions in the branch of the minimum; invalid = suggestions the space's validation refused" };
        lines.Add(string.Join("  ", header.Select((h, i) => h.PadRight(widths[i]))));
        lines.AddRange(rows.Select(r => string.Join("  ", r.Select((v, i) => v.PadRight(widths[i])))));
        File.WriteAllLines(output, lines);
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    /// <summary>Best value after each evaluation, suggestions the space refused, the time inside Suggest, and suggestions in the best branch.</summary>
    internal static (double[] Best, int Invalid, TimeSpan Optimizer, int BranchC) RunOnce(Problem problem, string algorithm, int seed, int budget, int open)
    {
        var study = CreateStudy(problem, algorithm, seed, budget, open);
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
            branchC += problem.InBestBranch(next.Assignment) ? 1 : 0;
            var value = problem.Evaluate(next.Assignment);
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

    private static StudyDefinition CreateStudy(Problem problem, string algorithm, int seed, int budget, int open) =>
        problem.CreateStudy(budget, open, new AlgorithmSpec(Encodings.ContainsKey(algorithm) ? "gp" : algorithm, seed));

    /// <summary>The GP's conditional encodings by benchmark name, besides the registry's <c>gp</c>.</summary>
    private static readonly Dictionary<string, (ConditionalEncoding Encoding, bool BranchRegions)> Encodings = new(StringComparer.Ordinal)
    {
        ["gp-indicators"] = (ConditionalEncoding.Indicators, true),
        ["gp-impute"] = (ConditionalEncoding.ImputeOnly, true),
        ["gp-one-region"] = (ConditionalEncoding.Indicators, false),
        ["gp-impute-one-region"] = (ConditionalEncoding.ImputeOnly, false),
    };

    /// <summary>The sampler of <paramref name="algorithm"/>: the registry's, or the GP with a given conditional encoding.</summary>
    private static ISampler CreateSampler(string algorithm, StudyDefinition study) => Encodings.TryGetValue(algorithm, out var variant)
        ? new GpSampler(GpSampler.OptionsFor(study) with { Conditional = variant.Encoding, BranchRegions = variant.BranchRegions })
        : AlgorithmRegistry.Default.CreateSampler(study);
}
