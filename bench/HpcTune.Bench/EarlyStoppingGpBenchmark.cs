using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Scheduling;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// The GP with ASHA on learning curves: how should the model use the trials ASHA pruned? A trial at x reports, at
/// steps t = 1 .. T, y(t) = f(x) + A(x)·((T/t)^½ − 1) + σ·N(0, 1) (no noise at t = T, so the final value is the test
/// function's): a power-law curve (Domhan et al. 2015) whose rate A(x) = a·(1 − c/2 + c·x₁) (x₁ the first input in
/// [0, 1], c = <c>--crossing</c>, default 1; 0 gives parallel curves) depends on the configuration, so the curves cross and the early ranking is only partly the final one, the case
/// that makes early stopping risky (Li et al. 2020, §2). a = 0.1 and σ = 0.02 of the interquartile range of f over
/// 256 Sobol points. Workers advance in lock step (each open trial gains one step per tick; a freed worker gets its
/// next trial at once). Runs are compared at equal compute: the true regret of the best completed trial after a
/// third, two thirds and all of a budget of steps, and how many trials were started and completed by then. Variants: <c>gp:ignore</c>, <c>gp:last</c>, <c>gp:pending</c>, <c>gp:extrapolated</c> (<see cref="PrunedTrialUse"/>) with
/// ASHA, <c>gp:none</c> (the GP, no early stopping), <c>random</c> and <c>sobol</c> with ASHA.
/// </summary>
internal static class EarlyStoppingGpBenchmark
{
    /// <summary>The options <c>early-stopping</c> takes.</summary>
    public static readonly string[] Options = ["seeds", "first-seed", "functions", "step-budgets", "steps", "open", "variants", "reduction-factor", "crossing", "csv"];

    public static void Run(BenchArguments arguments)
    {
        var seeds = arguments.Int("seeds", 20, min: 1);
        var firstSeed = arguments.Int("first-seed", 1);
        var functions = arguments.List("functions", "branin,hartmann6");
        var steps = arguments.Int("steps", 27, min: 2);
        var budgets = arguments.Ints("step-budgets", "810,2700", min: steps);
        if (budgets.Count != functions.Count)
        {
            throw new ArgumentException($"--step-budgets: one budget of steps per function, got {budgets.Count} for {functions.Count}");
        }

        var open = arguments.Ints("open", "1,4", min: 1);
        var eta = arguments.Int("reduction-factor", 3, min: 2);
        var crossing = arguments.Double("crossing", 1);
        if (crossing is < 0 or > 2)
        {
            throw new ArgumentException($"--crossing: expected a number from 0 (parallel curves) to 2, got {crossing}");
        }

        var variants = arguments.List("variants", "gp:ignore,gp:last,gp:pending,gp:extrapolated,gp:none,random,sobol");
        foreach (var variant in variants)
        {
            _ = SamplerOf(variant, null); // a misspelt variant fails before hours of runs
        }

        var rows = new List<string[]>();
        for (var f = 0; f < functions.Count; f++)
        {
            var function = TestFunctions.Get(functions[f]);
            var curve = new LearningCurve(function, steps, crossing);
            int[] checkpoints = [budgets[f] / 3, 2 * budgets[f] / 3, budgets[f]];
            foreach (var o in open)
            {
                foreach (var variant in variants)
                {
                    var regrets = checkpoints.Select(_ => new List<double>()).ToArray();
                    var trials = new List<double>();
                    var completed = new List<double>();
                    for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
                    {
                        var run = RunOnce(curve, variant, seed, checkpoints, o, eta);
                        for (var c = 0; c < checkpoints.Length; c++)
                        {
                            regrets[c].Add(run.Regrets[c]);
                        }

                        trials.Add(run.Trials);
                        completed.Add(run.Completed);
                    }

                    for (var c = 0; c < checkpoints.Length; c++)
                    {
                        var (median, q1, q3) = QualityBenchmark.Quartiles(regrets[c]);
                        rows.Add([function.Name, o.ToString(), variant, checkpoints[c].ToString(), Table.Number(median), Table.Number(q1), Table.Number(q3),
                            Table.Number(QualityBenchmark.Quartiles(trials).Median), Table.Number(QualityBenchmark.Quartiles(completed).Median)]);
                    }

                    Console.Error.WriteLine($"{function.Name} open={o} {variant}: median regret at {budgets[f]} steps {QualityBenchmark.Quartiles(regrets[^1]).Median:G4}");
                }
            }
        }

        Table.Emit(["function", "open", "variant", "steps", "median_regret", "q1", "q3", "trials_at_end", "completed_at_end"], rows, arguments.Text("csv", "early-stopping-gp.csv"));
    }

    private static GpSampler? SamplerOf(string variant, StudyDefinition? study) => variant switch
    {
        "gp:ignore" => new GpSampler(OptionsOf(study) with { PrunedTrials = PrunedTrialUse.Ignore }),
        "gp:last" => new GpSampler(OptionsOf(study) with { PrunedTrials = PrunedTrialUse.LastValue }),
        "gp:pending" => new GpSampler(OptionsOf(study) with { PrunedTrials = PrunedTrialUse.Pending }),
        "gp:extrapolated" => new GpSampler(OptionsOf(study) with { PrunedTrials = PrunedTrialUse.Extrapolated }),
        "gp:none" or "random" or "sobol" => null,
        _ => throw new ArgumentException($"--variants: unknown variant '{variant}'; expected gp:ignore, gp:last, gp:pending, gp:extrapolated, gp:none, random or sobol"),
    };

    private static GpOptions OptionsOf(StudyDefinition? study) => study is null ? new GpOptions() : GpSampler.OptionsFor(study);

    /// <summary>
    /// One run until <paramref name="checkpoints"/>[^1] steps are spent (what is still running then is abandoned): the
    /// true regret of the best completed trial at each checkpoint (infinite before any completed), how many trials were
    /// started and how many completed.
    /// </summary>
    private static (double[] Regrets, int Trials, int Completed) RunOnce(LearningCurve curve, string variant, int seed, int[] checkpoints, int open, int eta)
    {
        var function = curve.Function;
        var algorithm = variant.StartsWith("gp", StringComparison.Ordinal) ? "gp" : variant;
        var budget = checkpoints[^1]; // every trial takes a step at least: never the limit
        var plain = function.CreateStudy(budget, open, new AlgorithmSpec(algorithm, seed));
        var rule = variant == "gp:none" ? null
            : new EarlyStoppingSpec("asha").WithOption("min_steps", 1L).WithOption("reduction_factor", (long)eta).WithOption("max_steps", (long)curve.Steps);
        var study = new StudyDefinition(plain.Name, plain.Space.Parameters, plain.Metrics, budget, open, null, plain.Algorithm, null, null, rule);
        var tuner = new Tuner(study, new TunerOptions { Sampler = SamplerOf(variant, study) });
        var noise = new Random(seed);
        var running = new List<(long Id, double[] X, long Step)>();
        var regrets = new double[checkpoints.Length];
        var best = double.PositiveInfinity;
        var spent = 0;
        var next = 0;
        var worker = 0;
        while (next < checkpoints.Length)
        {
            while (running.Count < open)
            {
                var trial = tuner.Suggest($"w{worker++}").Trial!;
                running.Add((trial.Id, [.. Enumerable.Range(1, function.Dimension).Select(i => trial.Assignment.GetDouble($"x{i}"))], 0));
            }

            for (var i = 0; i < running.Count && next < checkpoints.Length; i++)
            {
                var (id, x, step) = running[i];
                step++;
                var value = curve.At(x, step, noise);
                var after = tuner.ReportProgress(id, step, new Dictionary<string, double> { [TestFunction.MetricName] = value });
                if (after.State == TrialState.Pruned)
                {
                    step = -1;
                }
                else if (step == curve.Steps)
                {
                    tuner.Observe(id, value);
                    best = Math.Min(best, value - function.Minimum);
                    step = -1;
                }

                running[i] = (id, x, step);
                if (++spent == checkpoints[next])
                {
                    regrets[next++] = best;
                }
            }

            running.RemoveAll(r => r.Step < 0);
        }

        return (regrets, tuner.Trials.Count, tuner.Trials.Count(t => t.State == TrialState.Completed));
    }

    /// <summary>The synthetic learning curves of one test function (see the class summary).</summary>
    private sealed class LearningCurve
    {
        private readonly double _rate;
        private readonly double _noise;

        private readonly double _crossing;

        public LearningCurve(TestFunction function, int steps, double crossing)
        {
            _crossing = crossing;
            Function = function;
            Steps = steps;
            var sobol = new SobolSequence(function.Dimension, 1);
            var unit = new double[function.Dimension];
            var values = new List<double>();
            for (var i = 0; i < 256; i++)
            {
                sobol.Point(i, unit);
                values.Add(function.Evaluate([.. unit.Select((u, d) => function.LowerBound(d) + (u * (function.UpperBound(d) - function.LowerBound(d))))]));
            }

            values.Sort();
            var iqr = values[192] - values[64];
            _rate = 0.1 * iqr;
            _noise = 0.02 * iqr;
        }

        public TestFunction Function { get; }

        public int Steps { get; }

        public double At(double[] x, long step, Random noise)
        {
            var first = (x[0] - Function.LowerBound(0)) / (Function.UpperBound(0) - Function.LowerBound(0));
            var gap = _rate * (1 - (_crossing / 2) + (_crossing * first)) * (Math.Sqrt((double)Steps / step) - 1);
            var final = Function.Evaluate(x);
            return step == Steps ? final : final + gap + (_noise * NormalMath.Sample(noise));
        }
    }
}
