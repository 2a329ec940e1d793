using System.Diagnostics;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// In-process throughput: <c>workers</c> threads of <see cref="Tuner.OptimizeAsync"/> run a study whose objective is a
/// test function that takes <c>objective-ms</c> of wall time (a wait, as a run on other hardware would), with the
/// study's algorithm (the GP by default). Reports the wall time, trials per second and the workers' busy share:
/// Σ objective time / (wall time × workers). The rest is time a worker spent waiting for a suggestion or for its
/// result to be recorded. A probe reads <see cref="Tuner.Progress"/> every millisecond meanwhile, as a status display,
/// a heartbeat or a lease check would, and reports how long the longest read and the 99th percentile waited: the time
/// the study's lock was held.
/// </summary>
internal static class ThroughputBenchmark
{
    /// <summary>The options <c>throughput</c> takes.</summary>
    public static readonly string[] Options = ["workers", "budget", "objective-ms", "algorithm", "function", "seeds", "first-seed"];

    public static async Task RunAsync(BenchArguments arguments)
    {
        var workers = arguments.Int("workers", 8, min: 1);
        var budget = arguments.Int("budget", 200, min: 1);
        var milliseconds = arguments.Int("objective-ms", 50, min: 0);
        var algorithm = arguments.Text("algorithm", "gp");
        var function = TestFunctions.Get(arguments.Text("function", "hartmann6"));
        var seeds = arguments.Int("seeds", 3, min: 1);
        var firstSeed = arguments.Int("first-seed", 1, min: 0);
        var rows = new List<string[]>();
        for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
        {
            var tuner = new Tuner(function.CreateStudy(budget, workers, new AlgorithmSpec(algorithm, seed)));
            var objective = Objective.FromAsync(async (trial, ct) =>
            {
                await Task.Delay(milliseconds, ct).ConfigureAwait(false);
                return await function.EvaluateAsync(trial, ct).ConfigureAwait(false);
            });
            using var stopProbe = new CancellationTokenSource();
            var probe = Task.Run(() => Probe(tuner, stopProbe.Token));
            var clock = Stopwatch.StartNew();
            var summary = await tuner.OptimizeAsync(objective, workers).ConfigureAwait(false);
            var wall = clock.Elapsed.TotalSeconds;
            await stopProbe.CancelAsync().ConfigureAwait(false);
            var reads = (await probe.ConfigureAwait(false)).Order().ToArray();
            var p99 = reads[(int)(0.99 * (reads.Length - 1))];
            var longest = reads[^1];
            var busy = summary.Progress.Completed * milliseconds / 1000.0 / (wall * workers);
            rows.Add([seed.ToString(), workers.ToString(), budget.ToString(), milliseconds.ToString(), algorithm, Table.Number(wall), Table.Number(summary.Progress.Completed / wall), Table.Number(busy), Table.Number(p99), Table.Number(longest)]);
            Console.Error.WriteLine($"seed {seed}: {wall:F2} s, {summary.Progress.Completed / wall:F1} trials/s, workers busy {busy:P1}, a read of the progress waited {p99:F2} ms (p99), {longest:F1} ms at most");
        }

        Table.Emit(["seed", "workers", "budget", "objective_ms", "algorithm", "wall_s", "trials_per_s", "busy", "read_p99_ms", "read_max_ms"], rows, "throughput.csv");
    }

    /// <summary>Milliseconds each read of the tuner's progress took, one read a millisecond, until cancelled.</summary>
    private static List<double> Probe(Tuner tuner, CancellationToken stop)
    {
        var waits = new List<double>();
        var clock = new Stopwatch();
        while (!stop.IsCancellationRequested)
        {
            clock.Restart();
            _ = tuner.Progress;
            waits.Add(clock.Elapsed.TotalMilliseconds);
            Thread.Sleep(1); // the probe's pace, not a synchronization
        }

        return waits.Count > 0 ? waits : [0];
    }
}
