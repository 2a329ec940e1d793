using System.Diagnostics;
using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// Simple regret (best value found − known minimum) of each algorithm on the test functions, over seeds, at
/// several evaluation counts of one run, sequentially and with several suggestions kept open (the oldest is
/// evaluated first, as a pool of equally fast workers would). Also the optimizer's own time per run. With
/// <c>--noise S</c> the tuner sees f(x) + S·N(0, 1) and the regret is the true value of the best-looking point.
/// With <c>--batch series</c> the open suggestions are made together when all results of the batch before are in
/// (synchronous batches), from one call of <see cref="HpcTune.Sampling.ISampler.Suggest"/>; <c>--batch each</c> makes
/// such a batch one suggestion at a time, the baseline of that choice.
/// </summary>
internal static class QualityBenchmark
{
    /// <summary>The options <c>quality</c> takes.</summary>
    public static readonly string[] Options = ["seeds", "noise", "budget", "at", "first-seed", "batch", "speedup", "speedup-csv", "open", "parallel", "functions", "algorithms", "csv", "runs"];

    public static async Task RunAsync(BenchArguments arguments)
    {
        var seeds = arguments.Int("seeds", 10, min: 1);
        var noise = arguments.Double("noise", 0);
        if (noise < 0)
        {
            throw new ArgumentException($"--noise: expected a standard deviation of at least 0, got {noise}");
        }

        var budget = arguments.Int("budget", 200, min: 1);
        // The default checkpoints beyond a smaller budget are dropped; one asked for there is a mistake.
        var checkpoints = arguments.Ints("at", "50,100,200", min: 1).Where(c => c <= budget || arguments.Has("at")).ToArray();
        if (checkpoints.FirstOrDefault(c => c > budget) is var late and > 0)
        {
            throw new ArgumentException($"--at {late} lies beyond --budget {budget}");
        }

        if (checkpoints.Length == 0)
        {
            throw new ArgumentException($"no --at checkpoint lies within --budget {budget}");
        }

        var firstSeed = arguments.Int("first-seed", 1);
        var batch = arguments.Text("batch", "");
        if (batch is not ("" or "series" or "each"))
        {
            throw new ArgumentException($"--batch takes series or each, not '{batch}'");
        }

        // Checked before the runs, which can take hours: a speedup table with no rows would say nothing of why.
        var speedup = arguments.Has("speedup") ? arguments.Ints("speedup", "50,100,200") : null;
        if (speedup?.FirstOrDefault(n => !checkpoints.Contains(n)) is int missing and not 0)
        {
            throw new ArgumentException($"--speedup {missing}: the sequential median is known only at the --at checkpoints within the budget ({string.Join(",", checkpoints)})");
        }

        var opens = arguments.Ints("open", "1,8", min: 1);
        if (speedup is not null && !(opens.Contains(1) && opens.Any(o => o > 1)))
        {
            throw new ArgumentException("--speedup compares open counts with sequential runs: --open needs 1 and a larger count");
        }

        var parallel = arguments.Int("parallel", 1, min: 1); // > 1 for quicker regret figures; optimizer times then include contention
        var functions = arguments.List("functions", "branin,hartmann6,ackley10,rosenbrock4").Select(TestFunctions.Get).ToList();
        var algorithms = arguments.List("algorithms", "gp,sobol,random");
        foreach (var algorithm in algorithms)
        {
            try
            {
                _ = AlgorithmRegistry.Default.CreateSampler(CreateStudy(functions[0], algorithm, firstSeed, budget, opens[0])); // refuses an unknown acquisition
            }
            catch (DefinitionException e)
            {
                throw new ArgumentException($"--algorithms {algorithm}: {e.Message}", e);
            }
        }

        var rows = new List<string[]>();
        var runs = new List<string[]>();
        var curves = new List<TimeToTarget.Curve>();
        foreach (var function in functions)
        {
            foreach (var open in opens)
            {
                foreach (var algorithm in algorithms)
                {
                    var regrets = checkpoints.ToDictionary(c => c, _ => new List<double>());
                    var seconds = new List<double>();
                    // Runs are deterministic per seed, so running them side by side changes no regret (only the times).
                    var results = new (double[] BestSoFar, TimeSpan Optimizer)[seeds];
                    Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = parallel }, i => results[i] = Run(function, algorithm, firstSeed + i, budget, open, noise, batch));
                    for (var i = 0; i < seeds; i++)
                    {
                        var (trajectory, optimizer) = results[i];
                        foreach (var c in checkpoints)
                        {
                            regrets[c].Add(trajectory[c - 1] - function.Minimum);
                            runs.Add([function.Name, open.ToString(), algorithm, (firstSeed + i).ToString(), c.ToString(), Table.Number(trajectory[c - 1] - function.Minimum)]);
                        }

                        seconds.Add(optimizer.TotalSeconds);
                    }

                    curves.Add(new TimeToTarget.Curve(function.Name, algorithm, open, checkpoints.ToDictionary(c => c, c => Quartiles(regrets[c]).Median)));
                    foreach (var c in checkpoints)
                    {
                        var (median, q1, q3) = Quartiles(regrets[c]);
                        rows.Add([function.Name, open.ToString(), algorithm, c.ToString(), Table.Number(median), Table.Number(q1), Table.Number(q3), Table.Number(Quartiles(seconds).Median)]);
                    }

                    Console.Error.WriteLine($"{function.Name} open={open} {algorithm}: done");
                }
            }
        }

        if (arguments.Has("runs"))
        {
            Table.Write(["function", "open", "algorithm", "seed", "evaluations", "regret"], runs, arguments.Text("runs", "runs.csv"));
        }

        Table.Emit(["function", "open", "algorithm", "evaluations", "median_regret", "q1", "q3", "optimizer_s_per_run"], rows, arguments.Text("csv", "quality.csv"));
        if (speedup is not null)
        {
            Table.Emit(TimeToTarget.Header, TimeToTarget.Rows(curves, speedup), arguments.Text("speedup-csv", "speedup.csv"));
        }
        await Task.CompletedTask;
    }

    /// <summary>Best value after each evaluation, and the time spent inside Suggest.</summary>
    internal static (double[] BestSoFar, TimeSpan Optimizer) Run(TestFunction function, string algorithm, int seed, int budget, int open, double noise = 0, string batch = "")
    {
        var study = CreateStudy(function, algorithm, seed, budget, open);
        var sampler = GpVariant(algorithm.Split(':')[0], study);
        var tuner = new Tuner(study, new TunerOptions { Sampler = sampler });
        var pending = new Queue<(long Id, double[] X)>();
        var best = new double[budget];
        var current = double.PositiveInfinity;
        var bestObserved = double.PositiveInfinity;
        var noiseSource = new Random(seed);
        var clock = new Stopwatch();
        var done = 0;
        var slot = 0;
        var batched = batch != "";
        while (done < budget)
        {
            if (!batched || pending.Count == 0)
            {
                clock.Start();
                var issued = batched ? Batch(tuner, open, batch == "series", ref slot) : Refill(tuner, pending.Count, open, ref slot);
                clock.Stop();
                foreach (var trial in issued)
                {
                    pending.Enqueue((trial.Id, [.. Enumerable.Range(1, function.Dimension).Select(i => trial.Assignment.GetDouble($"x{i}"))]));
                }
            }

            var (id, x) = pending.Dequeue();
            var value = function.Evaluate(x);
            // With noise the tuner sees a noisy value; the regret counts the true value of the best-looking point.
            var observed = noise > 0 ? value + (noise * NormalMath.Sample(noiseSource)) : value;
            tuner.Observe(id, observed);
            if (observed < bestObserved)
            {
                bestObserved = observed;
                current = value;
            }

            best[done++] = current;
        }

        return (best, clock.Elapsed);
    }

    /// <summary>
    /// The GP variants that are no study option, each the GP with one internal setting changed, side by side with
    /// "gp" in one invocation: "gp-global" without its trust region; "gp-wide" with a quarter of the quasi-random
    /// candidates over the whole box (docs/gp-rugged.md); "gp-moves-paying-K" with coordinate moves that go off after K
    /// stalls' worth without improving, for good in a search, and "gp-moves-backoff-K" coming back after 1, 2, 4, … stalls
    /// (the paying schedule; docs/gp-rugged.md); "gp-local-N" with the local model past N observations, of a size in the
    /// default's ratio to its threshold ("gp-local-N-near": without its far sample; docs/gp-scale.md); "gp-fantasies-N"
    /// fantasizing at most N open trials (docs/scale.md). Null for every other algorithm, which the study creates.
    /// </summary>
    private static GpSampler? GpVariant(string name, StudyDefinition study) => name switch
    {
        "gp-global" => new GpSampler(GpSampler.OptionsFor(study) with { TrustRegion = false }),
        "gp-wide" => new GpSampler(GpSampler.OptionsFor(study) with { GlobalShare = 0.25 }),
        _ when LocalModelThreshold(name) is { } threshold => new GpSampler(LocalModelOptions(GpSampler.OptionsFor(study), threshold, name.EndsWith(NearestOnly, StringComparison.Ordinal))),
        _ when FantasyCapBenchmark.Cap(name) is { } cap => new GpSampler(GpSampler.OptionsFor(study) with { MaxFantasies = cap }),
        _ when MoveEpisodes(name, PayingVariant) is { } episodes => new GpSampler(GpSampler.OptionsFor(study) with { CoordinateMoves = 8, CoordinateMovesWhen = CoordinateMoveSchedule.Paying, CoordinateMoveEpisodes = episodes, CoordinateMoveBackOff = false }),
        _ when MoveEpisodes(name, BackOffVariant) is { } episodes => new GpSampler(GpSampler.OptionsFor(study) with { CoordinateMoves = 8, CoordinateMovesWhen = CoordinateMoveSchedule.Paying, CoordinateMoveEpisodes = episodes, CoordinateMoveBackOff = true }),
        _ => null,
    };

    /// <summary>N of a "gp-local-N" or "gp-local-N-near" variant; null for any other name.</summary>
    /// <exception cref="ArgumentException">A "gp-local-" name without a positive whole number after it.</exception>
    internal static int? LocalModelThreshold(string name)
    {
        if (!name.StartsWith(LocalVariant, StringComparison.Ordinal))
        {
            return null;
        }

        var number = name.AsSpan(LocalVariant.Length);
        number = number.EndsWith(NearestOnly, StringComparison.Ordinal) ? number[..^NearestOnly.Length] : number;
        return int.TryParse(number, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var threshold) && threshold > 0 ? threshold
            : throw new ArgumentException($"'{name}': expected {LocalVariant}N or {LocalVariant}N{NearestOnly} with N the threshold of the local model, a positive whole number (gp-local-100)");
    }

    /// <summary>
    /// The local model scaled down to <paramref name="threshold"/>: its size in the default's ratio to the threshold, so the
    /// variant keeps the share of the observations the default keeps just past its threshold; with
    /// <paramref name="nearestOnly"/> without the far sample (the nearest and the best alone).
    /// </summary>
    internal static GpOptions LocalModelOptions(GpOptions options, int threshold, bool nearestOnly)
    {
        var defaults = new GpOptions();
        var size = Math.Max(1, (int)Math.Round((double)threshold * defaults.LocalModelSize / defaults.LocalModelThreshold));
        return options with { LocalModelThreshold = threshold, LocalModelSize = size, LocalModelFarShare = nearestOnly ? 0 : options.LocalModelFarShare };
    }

    private const string NearestOnly = "-near";

    private const string LocalVariant = "gp-local-";

    /// <summary>K of a "gp-moves-paying-K" (or <paramref name="variant"/>) variant (coordinate_moves=8 on the paying schedule without back-off, off after K stalls' worth of moves without improving); null for any other name.</summary>
    /// <exception cref="ArgumentException">A "gp-moves-paying-" name without a positive whole number after it.</exception>
    internal static int? MoveEpisodes(string name, string variant) =>
        !name.StartsWith(variant, StringComparison.Ordinal) ? null
        : int.TryParse(name.AsSpan(variant.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var episodes) && episodes > 0 ? episodes
        : throw new ArgumentException($"'{name}': expected {variant}K with K the stalls' worth of moves without improvement that turn them off, a positive whole number ({variant}3)");

    private const string PayingVariant = "gp-moves-paying-";

    /// <summary>"gp-moves-backoff-K": as gp-moves-paying-K, and the moves come back for a stall's worth after 1, 2, 4, … stalls off.</summary>
    private const string BackOffVariant = "gp-moves-backoff-";

    /// <summary>
    /// The study of one run: "gp:qucb" selects the GP with another acquisition, "gp:coordinate_moves=8" sets a GP
    /// option; the variants of <see cref="GpVariant"/> are the GP with an internal setting changed; "evolution:population_size=10:sample_size=3" sets algorithm options,
    /// one <c>name=value</c> after each colon (a number where the value reads as one, else a string).
    /// </summary>
    /// <exception cref="DefinitionException">An algorithm HpcTune does not know.</exception>
    private static StudyDefinition CreateStudy(TestFunction function, string algorithm, int seed, int budget, int open)
    {
        var parts = algorithm.Split(':');
        var name = LocalModelThreshold(parts[0]) is not null || FantasyCapBenchmark.Cap(parts[0]) is not null || parts[0].StartsWith("gp-", StringComparison.Ordinal) ? "gp" : parts[0];
        var spec = new AlgorithmSpec(name, seed);
        foreach (var part in parts.Skip(1))
        {
            spec = part.Split('=') is not [var option, var value] ? spec.WithOption("acquisition", part)
                : long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var whole) ? spec.WithOption(option, whole)
                : double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var number) ? spec.WithOption(option, number)
                : spec.WithOption(option, value);
        }

        return function.CreateStudy(budget, open, spec);
    }

    /// <summary>New trials until <paramref name="open"/> are open, asked for together (one batch of the sampler, as idle workers get).</summary>
    private static List<HpcTune.Trials.Trial> Refill(Tuner tuner, int pending, int open, ref int slot)
    {
        var first = slot;
        slot += Math.Max(0, open - pending);
        return [.. tuner.Suggest([.. Enumerable.Range(first, slot - first).Select(i => $"w{i}")]).Where(o => o.Status == SuggestStatus.Issued).Select(o => o.Trial!)];
    }

    /// <summary><paramref name="open"/> new trials from one batch of the sampler, or one suggestion each.</summary>
    private static List<HpcTune.Trials.Trial> Batch(Tuner tuner, int open, bool series, ref int slot)
    {
        var issued = new List<HpcTune.Trials.Trial>();
        if (series)
        {
            var first = slot;
            slot += open;
            issued.AddRange(tuner.Suggest([.. Enumerable.Range(first, open).Select(i => $"w{i}")]).Where(o => o.Status == SuggestStatus.Issued).Select(o => o.Trial!));
            return issued;
        }

        while (issued.Count < open && tuner.Suggest($"w{slot++}") is { Status: SuggestStatus.Issued } outcome)
        {
            issued.Add(outcome.Trial!);
        }

        return issued;
    }

    internal static (double Median, double Q1, double Q3) Quartiles(List<double> values)
    {
        var sorted = values.Order().ToArray();
        double At(double q)
        {
            var position = q * (sorted.Length - 1);
            var low = (int)Math.Floor(position);
            var high = Math.Min(low + 1, sorted.Length - 1);
            return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
        }

        return (At(0.5), At(0.25), At(0.75));
    }
}
