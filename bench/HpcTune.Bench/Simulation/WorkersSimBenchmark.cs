using System.Diagnostics;
using System.Globalization;
using HpcTune.Gp.Sampling;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench.Simulation;

/// <summary>
/// <c>workers-sim</c>: the real master (tuner, suggestion source, journal on tmpfs, the sampler) driven by
/// <see cref="MasterSimulation"/> with simulated workers whose objectives take lognormal durations, for each worker
/// count and sampler. Each study's budget is <c>rounds</c> trials per worker. Prints utilization over the whole run
/// and in the steady state, the whole run's utilization with a master that costs nothing (the same durations: what
/// the study's last round loses whatever the master does), the queueing of requests, and the master's busy share.
/// </summary>
internal static class WorkersSimBenchmark
{
    /// <summary>The options <c>workers-sim</c> takes.</summary>
    public static readonly string[] Options = ["workers", "rounds", "algorithms", "function", "mean-s", "sigma", "group", "seed", "cost", "dir", "output", "fantasies"];

    public static void Run(BenchArguments arguments, string command)
    {
        var counts = arguments.Ints("workers", "64,256,1024,4096", min: 1);
        var rounds = arguments.Int("rounds", 4, min: 1);
        var algorithms = arguments.List("algorithms", "random,sobol,gp");
        var function = TestFunctions.Get(arguments.Text("function", "ackley10"));
        var mean = arguments.Double("mean-s", 60);
        var sigma = arguments.Double("sigma", 0.5);
        var group = arguments.Int("group", 0, min: 0); // 0: every waiting worker in one call, as MpiMaster asks
        var seed = arguments.Int("seed", 1, min: 0);
        var meter = MasterCostMeter.Named(arguments.Text("cost", "cpu"));
        var root = arguments.Text("dir", Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        var output = arguments.Has("output") ? arguments.Text("output", "") : null;
        int? fantasies = arguments.Has("fantasies") ? arguments.Int("fantasies", 0, min: 0) : null; // 0: every open trial, as before the cap
        if (mean <= 0 || sigma < 0)
        {
            throw new ArgumentException($"--mean-s must be positive and --sigma at least 0 (got {mean} and {sigma})");
        }

        var header = new[] { "workers", "algorithm", "group", "trials", "makespan_s", "utilization", "steady", "free_master", "queue_median_s", "queue_p99_s", "queue_max_s", "master_busy", "suggest_calls", "real_s" };
        var rows = new List<string[]>();
        foreach (var workers in counts)
        {
            // The same durations with a master that costs nothing: what is lost at the study's end whatever the master does.
            var free = RunOne(function, workers, rounds, "random", group, new LogNormalDurations(mean, sigma, seed), seed, MasterCostMeter.Fixed(_ => 0), root).Utilization;
            foreach (var algorithm in algorithms)
            {
                var clock = Stopwatch.StartNew();
                var result = RunOne(function, workers, rounds, algorithm, group, new LogNormalDurations(mean, sigma, seed), seed, meter, root, fantasies);
                var real = clock.Elapsed.TotalSeconds;
                rows.Add([.. new[] { workers.ToString(CultureInfo.InvariantCulture), algorithm, group == 0 ? "all" : group.ToString(CultureInfo.InvariantCulture), result.Trials.Count.ToString(CultureInfo.InvariantCulture) },
                    Table.Number(result.Makespan), Percent(result.Utilization), Percent(result.SteadyUtilization), Percent(free), Table.Number(result.Queueing(0.5)), Table.Number(result.Queueing(0.99)),
                    Table.Number(result.Queueing(1)), Percent(result.MasterBusyShare), result.SuggestCalls.ToString(CultureInfo.InvariantCulture), Table.Number(real)]);
                Console.Error.WriteLine($"{workers} workers, {algorithm}: utilization {result.Utilization:P1} (steady {result.SteadyUtilization:P1}), queueing median {result.Queueing(0.5):F3} s, p99 {result.Queueing(0.99):F3} s, master busy {result.MasterBusyShare:P1}, {real:F0} s real");
            }
        }

        Table.Emit(header, rows, null);
        if (output is not null)
        {
            WriteText(output, command, header, rows, mean, sigma);
        }
    }

    /// <summary>
    /// One simulated study, journaled in a fresh folder under <paramref name="root"/> (removed after); the GP fantasizes
    /// at most <paramref name="fantasies"/> open trials (0: all of them; null: its default, <see cref="GpOptions.MaxFantasies"/>).
    /// </summary>
    internal static SimulationResult RunOne(TestFunction function, int workers, int rounds, string algorithm, int group, LogNormalDurations durations, int seed, MasterCostMeter meter, string root, int? fantasies = null)
    {
        var directory = Directory.CreateDirectory(Path.Combine(root, $"hpctune-workers-sim-{Guid.NewGuid():N}")).FullName;
        try
        {
            var definition = function.CreateStudy(checked(workers * rounds), workers, new AlgorithmSpec(algorithm, seed));
            using var checkpoint = Checkpoint.Create(Path.Combine(directory, "ckpt"), definition);
            checkpoint.Writer.SyncEachRecord = false; // group commit, as the MPI master does
            var tuner = checkpoint.CreateTuner(algorithm == "gp" && fantasies is { } cap
                ? new TunerOptions { Sampler = new GpSampler(GpSampler.OptionsFor(definition) with { MaxFantasies = cap == 0 ? int.MaxValue : cap }) }
                : null);
            var simulation = new MasterSimulation(tuner, meter, checkpoint.Writer.Commit);
            var reported = Stopwatch.StartNew();
            return simulation.Run(workers, group, durations.Next, trial => function.EvaluateAsync(new TrialContext(trial.Id, trial.Assignment, "sim", 1), CancellationToken.None).AsTask().Result,
                (clock, made) =>
                {
                    if (reported.Elapsed.TotalSeconds >= 30)
                    {
                        Console.Error.WriteLine($"  {workers} workers, {algorithm}: {made} trials handed out, virtual clock {clock:F0} s");
                        reported.Restart();
                    }
                });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Percent(double share) => double.IsNaN(share) ? "n/a" : (100 * share).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static void WriteText(string path, string command, string[] header, List<string[]> rows, double mean, double sigma)
    {
        using var writer = new StreamWriter(path, append: true);
        writer.WriteLine($"# {command}");
        writer.WriteLine($"# {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores; objectives lognormal, mean {mean} s, sigma {sigma}");
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(string.Join("  ", header.Select((h, i) => h.PadLeft(widths[i]))));
        foreach (var row in rows)
        {
            writer.WriteLine(string.Join("  ", row.Select((c, i) => c.PadLeft(widths[i]))));
        }

        writer.WriteLine();
        Console.WriteLine($"appended to {path}");
    }
}
