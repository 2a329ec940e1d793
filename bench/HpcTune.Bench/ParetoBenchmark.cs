using System.Diagnostics;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// Hypervolume (minimization, from each problem's reference point) of the Pareto front of the first n completed
/// trials, in trial-id order, over seeds; sequentially and with several suggestions kept open (the oldest evaluated
/// first). Algorithms: <c>gp</c> (log-EHVI), <c>gp:parego</c>, <c>random</c>, <c>sobol</c>.
/// </summary>
internal static class ParetoBenchmark
{
    /// <summary>The options <c>pareto</c> takes.</summary>
    public static readonly string[] Options = ["problems", "algorithms", "seeds", "first-seed", "open", "at", "csv", "parallel"];

    public static void Run(BenchArguments arguments)
    {
        var problems = arguments.List("problems", "zdt1,dtlz2,branin-currin").Select(ParetoProblems.Get).ToList();
        var algorithms = arguments.List("algorithms", "gp,gp:parego,random,sobol");
        var seeds = arguments.Int("seeds", 20, min: 1);
        var firstSeed = arguments.Int("first-seed", 1);
        var opens = arguments.Ints("open", "1,8", min: 1);
        var checkpoints = arguments.Ints("at", "50,100,200", min: 1).ToArray();
        var parallel = arguments.Int("parallel", 1, min: 1);
        foreach (var algorithm in algorithms)
        {
            try
            {
                _ = AlgorithmRegistry.Default.CreateSampler(CreateStudy(problems[0], algorithm, firstSeed, 10, 1));
            }
            catch (DefinitionException e)
            {
                throw new ArgumentException($"--algorithms {algorithm}: {e.Message}", e);
            }
        }

        var budget = checkpoints.Max();
        var rows = new List<string[]>();
        var perSeed = new List<string[]>();
        foreach (var problem in problems)
        {
            foreach (var open in opens)
            {
                foreach (var algorithm in algorithms)
                {
                    var results = new (double[] Volumes, double Seconds, double Feasible)[seeds];
                    Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => results[i] = RunOne(problem, algorithm, firstSeed + i, budget, open, checkpoints));
                    for (var c = 0; c < checkpoints.Length; c++)
                    {
                        var volumes = results.Select(r => r.Volumes[c]).ToList();
                        var (median, q1, q3) = QualityBenchmark.Quartiles(volumes);
                        rows.Add([problem.Name, open.ToString(), algorithm, checkpoints[c].ToString(), Table.Number(median), Table.Number(q1), Table.Number(q3), Table.Number(QualityBenchmark.Quartiles([.. results.Select(r => r.Seconds)]).Median), Table.Number(QualityBenchmark.Quartiles([.. results.Select(r => r.Feasible)]).Median)]);
                        perSeed.AddRange(results.Select((r, i) => new[] { problem.Name, open.ToString(), algorithm, (firstSeed + i).ToString(), checkpoints[c].ToString(), r.Volumes[c].ToString("R", System.Globalization.CultureInfo.InvariantCulture) }));
                    }

                    Console.Error.WriteLine($"{problem.Name} open={open} {algorithm}: done");
                }
            }
        }

        Table.Emit(["problem", "open", "algorithm", "evaluations", "median_hv", "q1", "q3", "optimizer_s_per_run", "feasible_share"], rows, null);
        if (arguments.Has("csv"))
        {
            Table.Write(["problem", "open", "algorithm", "seed", "evaluations", "hypervolume"], perSeed, arguments.Text("csv", "pareto.csv"));
        }
    }

    /// <summary>The hypervolume of the feasible points at each checkpoint, the time spent suggesting, and the share of feasible evaluations.</summary>
    internal static (double[] Volumes, double Seconds, double Feasible) RunOne(ParetoProblem problem, string algorithm, int seed, int budget, int open, int[] checkpoints)
    {
        var tuner = new Tuner(CreateStudy(problem, algorithm, seed, budget, open));
        var pending = new Queue<(long Id, double[] X)>();
        var results = new SortedDictionary<long, double[]?>(); // null: infeasible
        var clock = new Stopwatch();
        var slot = 0;
        while (results.Count < budget)
        {
            var idle = open - pending.Count;
            clock.Start();
            var issued = idle == 0 ? [] : tuner.Suggest([.. Enumerable.Range(slot, idle).Select(i => $"w{i}")]).Where(o => o.Status == SuggestStatus.Issued).Select(o => o.Trial!).ToList();
            clock.Stop();
            slot += idle;
            foreach (var trial in issued)
            {
                pending.Enqueue((trial.Id, [.. Enumerable.Range(1, problem.Dimension).Select(i => trial.Assignment.GetDouble($"x{i}"))]));
            }

            var (id, x) = pending.Dequeue();
            var f = problem.Evaluate(x);
            var values = new Dictionary<string, double> { ["f1"] = f[0], ["f2"] = f[1] };
            var c = problem.Constraints?.Invoke(x) ?? [];
            for (var j = 0; j < c.Length; j++)
            {
                values[$"c{j + 1}"] = c[j];
            }

            tuner.Observe(id, values);
            results[id] = c.All(v => v <= 0) ? f : null;
        }

        var ordered = results.Values.ToList();
        return ([.. checkpoints.Select(c => Hypervolume.Of(ordered.Take(c).OfType<double[]>(), problem.Reference))], clock.Elapsed.TotalSeconds,
            ordered.Count(f => f is not null) / (double)ordered.Count);
    }

    private static StudyDefinition CreateStudy(ParetoProblem problem, string algorithm, int seed, int budget, int open)
    {
        var parts = algorithm.Split(':');
        var spec = new AlgorithmSpec(parts[0], seed);
        if (parts.Length > 1)
        {
            spec = spec.WithOption("multi_objective", parts[1]);
        }

        var constraints = problem.Constraints?.Invoke(new double[problem.Dimension]).Length ?? 0;
        return new StudyDefinition(problem.Name,
            Enumerable.Range(1, problem.Dimension).Select(i => ParameterDefinition.Double($"x{i}", 0, 1)),
            [new MetricDefinition("f1", MetricObjective.Minimize), new MetricDefinition("f2", MetricObjective.Minimize),
             .. Enumerable.Range(1, constraints).Select(j => new MetricDefinition($"c{j}", MetricObjective.Minimize, MetricStrategy.Constraint, 0))],
            budget, open, algorithm: spec);
    }
}
