using System.Globalization;
using System.Text;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// Constraints and failures (issue 27, item 4; docs/gp-constraints.md). Gardner et al. 2014's toy: the best feasible
/// value after n evaluations (median and quartiles over seeds; a run with no feasible point yet counts as +∞) and
/// the share of feasible evaluations. The failing studies of <see cref="ConstrainedTestFunctions"/>: failures per run and
/// how many runs completed their budget. <c>gp-blind</c> is the GP without the feasibility model (constraints ignored,
/// failures only kept as open suggestions that never report), the sampler before. <c>gp-label</c> models failures by
/// the failed/succeeded label model alone, without failed trials in the objective's model; <c>gp-margin=m</c>,
/// <c>gp-keep=m</c> and <c>gp-refit=m</c> put them there at m standard deviations below the worst result (gp-keep
/// under the objective's hyperparameters, gp-refit refitted), <c>gp-threshold=t</c> counts the label model
/// feasible below t instead of 0, and <c>gp-region</c> searches a constrained study in the trust region (the GP before
/// it searched the whole space).
/// </summary>
internal static class ConstraintBenchmark
{
    /// <summary>The options <c>constraints</c> takes.</summary>
    public static readonly string[] Options = ["seeds", "first-seed", "budget", "at", "open", "algorithms", "failure-algorithms", "failure-budget", "parts", "parallel", "output"];

    public static void Run(BenchArguments arguments, string command)
    {
        var seeds = arguments.Int("seeds", 20, min: 1);
        var firstSeed = arguments.Int("first-seed", 1);
        var budget = arguments.Int("budget", 100, min: 1);
        var checkpoints = arguments.Ints("at", "25,50,100", min: 1);
        if (checkpoints.FirstOrDefault(c => c > budget) is var late and > 0)
        {
            throw new ArgumentException($"--at {late} lies beyond --budget {budget}");
        }

        var opens = arguments.Ints("open", "1,8", min: 1);
        var algorithms = arguments.List("algorithms", "gp,gp-blind,sobol,random");
        var failureAlgorithms = arguments.List("failure-algorithms", "gp,gp-blind,sobol,random");
        var failureBudget = arguments.Int("failure-budget", 30, min: 1);
        var parts = arguments.List("parts", "toy,failures");
        var parallel = arguments.Int("parallel", 1, min: 1);
        var output = new StringBuilder();
        output.AppendLine(CultureInfo.InvariantCulture, $"# {command}");
        if (parts.Contains("toy"))
        {
            var rows = new List<string[]>();
            foreach (var open in opens)
            {
                foreach (var algorithm in algorithms)
                {
                    var runs = new (double[] Best, double FeasibleShare)[seeds];
                    Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => runs[i] = RunToy(algorithm, firstSeed + i, budget, open));
                    foreach (var c in checkpoints)
                    {
                        var (median, q1, q3) = QualityBenchmark.Quartiles([.. runs.Select(r => r.Best[c - 1])]);
                        var found = runs.Count(r => double.IsFinite(r.Best[c - 1]));
                        rows.Add([open.ToString(CultureInfo.InvariantCulture), algorithm, c.ToString(CultureInfo.InvariantCulture), Table.Number(median), Table.Number(q1), Table.Number(q3),
                            $"{found}/{seeds}", c == checkpoints[^1] ? Table.Number(QualityBenchmark.Quartiles([.. runs.Select(r => r.FeasibleShare)]).Median) : ""]);
                    }

                    Console.Error.WriteLine($"gardner-toy open={open} {algorithm}: done");
                }
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"## Gardner et al. 2014 toy: best feasible f after n evaluations, {seeds} seeds from {firstSeed} (feasible_share: median share of feasible evaluations in the whole budget)");
            output.Append(Format(["open", "algorithm", "evaluations", "median_best", "q1", "q3", "runs_with_feasible", "feasible_share"], rows));
        }

        if (parts.Contains("failures"))
        {
            var rows = new List<string[]>();
            foreach (var scenario in new[] { "failing-corner", "failing-mixed", "failing-mixed-interior" })
            {
                foreach (var open in opens)
                {
                    foreach (var algorithm in failureAlgorithms)
                    {
                        var runs = new (int Failures, int Trials, bool Completed, double Best)[seeds];
                        Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => runs[i] = RunFailing(scenario, algorithm, firstSeed + i, failureBudget, open));
                        var failures = runs.Select(r => (double)r.Failures).ToList();
                        var (median, q1, q3) = QualityBenchmark.Quartiles(failures);
                        rows.Add([scenario, open.ToString(CultureInfo.InvariantCulture), algorithm, Table.Number(median), Table.Number(q1), Table.Number(q3), failures.Max().ToString(CultureInfo.InvariantCulture),
                            $"{runs.Count(r => r.Completed)}/{seeds}", Table.Number(QualityBenchmark.Quartiles([.. runs.Select(r => r.Best)]).Median)]);
                        Console.Error.WriteLine($"{scenario} open={open} {algorithm}: done");
                    }
                }
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"## Failing studies: failures per run, budget {failureBudget} observations, {seeds} seeds from {firstSeed} (failing-corner stops at 60 failures, the others at 30)");
            output.Append(Format(["study", "open", "algorithm", "median_failures", "q1", "q3", "max_failures", "completed", "median_best"], rows));
        }

        Console.Write(output);
        if (arguments.Has("output"))
        {
            File.WriteAllText(arguments.Text("output", ""), output.ToString());
            Console.WriteLine($"wrote {arguments.Text("output", "")}");
        }
    }

    /// <summary>"gp-blind" is the GP without its feasibility model; anything else is a registered algorithm.</summary>
    private static Tuner CreateTuner(StudyDefinition study, string algorithm)
    {
        var sampler = algorithm switch
        {
            "gp-blind" => new GpSampler(GpSampler.OptionsFor(study) with { ModelFeasibility = false }),
            "gp-label" => new GpSampler(GpSampler.OptionsFor(study) with { FailedValueMargin = null }),
            "gp-region" => new GpSampler(GpSampler.OptionsFor(study) with { ConstrainedTrustRegion = true }),
            _ when algorithm.StartsWith("gp-keep=", StringComparison.Ordinal) => new GpSampler(GpSampler.OptionsFor(study) with
            {
                RefitWithFailures = false,
                FailedValueMargin = double.Parse(algorithm["gp-keep=".Length..], CultureInfo.InvariantCulture),
            }),
            _ when algorithm.StartsWith("gp-margin=", StringComparison.Ordinal) => new GpSampler(GpSampler.OptionsFor(study) with
            {
                RefitWithFailures = true,
                FailedValueMargin = double.Parse(algorithm["gp-margin=".Length..], CultureInfo.InvariantCulture),
            }),
            _ when algorithm.StartsWith("gp-refit=", StringComparison.Ordinal) => new GpSampler(GpSampler.OptionsFor(study) with
            {
                RefitWithFailures = true,
                FailedValueMargin = double.Parse(algorithm["gp-refit=".Length..], CultureInfo.InvariantCulture),
            }),
            _ when algorithm.StartsWith("gp-threshold=", StringComparison.Ordinal) => new GpSampler(GpSampler.OptionsFor(study) with
            {
                FailedValueMargin = null,
                FailureLabelThreshold = double.Parse(algorithm["gp-threshold=".Length..], CultureInfo.InvariantCulture),
            }),
            _ => null,
        };
        return new Tuner(study, new TunerOptions { Sampler = sampler });
    }

    private static AlgorithmSpec Spec(string algorithm, int seed) => new(algorithm.StartsWith("gp-", StringComparison.Ordinal) ? "gp" : algorithm, seed);

    /// <summary>Best feasible value after each evaluation (+∞ before the first feasible one) and the share of feasible evaluations.</summary>
    private static (double[] Best, double FeasibleShare) RunToy(string algorithm, int seed, int budget, int open)
    {
        var tuner = CreateTuner(ConstrainedTestFunctions.GardnerToy(budget, open, Spec(algorithm, seed)), algorithm);
        var pending = new Queue<Trial>();
        var best = new double[budget];
        var current = double.PositiveInfinity;
        var feasible = 0;
        var slot = 0;
        for (var done = 0; done < budget; done++)
        {
            Refill(tuner, pending, open, ref slot);
            var trial = pending.Dequeue();
            var (f, c) = ConstrainedTestFunctions.GardnerToyValues(trial.Assignment.GetDouble("x"), trial.Assignment.GetDouble("y"));
            tuner.Observe(trial.Id, new Dictionary<string, double> { ["f"] = f, ["c"] = c });
            if (c <= 0.5)
            {
                feasible++;
                current = Math.Min(current, f);
            }

            best[done] = current;
        }

        return (best, feasible / (double)budget);
    }

    /// <summary>Runs a failing study to its end: its failures, its trials, whether it completed its budget, and its best loss.</summary>
    internal static (int Failures, int Trials, bool Completed, double Best) RunFailing(string scenario, string algorithm, int seed, int budget, int open)
    {
        var corner = scenario == "failing-corner";
        var study = corner ? ConstrainedTestFunctions.FailingCorner(budget, open, Spec(algorithm, seed)) : ConstrainedTestFunctions.FailingMixed(scenario, budget, open, Spec(algorithm, seed));
        var tuner = CreateTuner(study, algorithm);
        var pending = new Queue<Trial>();
        int slot = 0, failures = 0, trials = 0;
        var best = double.PositiveInfinity;
        while (true)
        {
            Refill(tuner, pending, open, ref slot);
            if (pending.Count == 0)
            {
                break;
            }

            var trial = pending.Dequeue();
            trials++;
            var a = trial.Assignment;
            var loss = corner ? ConstrainedTestFunctions.FailingCornerLoss(a.GetDouble("x"), a.GetDouble("y"))
                : scenario == "failing-mixed" ? ConstrainedTestFunctions.FailingMixedLoss(a.GetDouble("x"), a.GetDouble("z"), a.GetInt("n"), a.GetString("c"))
                : ConstrainedTestFunctions.FailingMixedInteriorLoss(a.GetDouble("x"), a.GetDouble("z"), a.GetInt("n"), a.GetString("c"));
            if (loss is { } value)
            {
                tuner.Observe(trial.Id, value);
                best = Math.Min(best, value);
            }
            else
            {
                failures++;
                tuner.Fail(trial.Id, "exit code 1");
            }
        }

        return (failures, trials, tuner.Progress.Status == StudyStatus.Completed, best);
    }

    private static void Refill(Tuner tuner, Queue<Trial> pending, int open, ref int slot)
    {
        var first = slot;
        slot += Math.Max(0, open - pending.Count);
        foreach (var outcome in tuner.Suggest([.. Enumerable.Range(first, slot - first).Select(i => $"w{i}")]))
        {
            if (outcome.Status == SuggestStatus.Issued)
            {
                pending.Enqueue(outcome.Trial!);
            }
        }
    }

    private static string Format(IReadOnlyList<string> header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        text.AppendLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        }

        return text.ToString();
    }
}
