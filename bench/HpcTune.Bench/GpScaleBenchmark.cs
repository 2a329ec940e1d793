using System.Diagnostics;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// How a GP suggestion's cost grows with the observations (docs/gp-scale.md): for each n, a study of Ackley at n uniform
/// random points with <c>--open</c> trials open, and for each model — <c>full</c> (every observation, the model below
/// <see cref="GpOptions.LocalModelThreshold"/>) and <c>local</c> (the default sampler) — the first suggestion of a fresh
/// sampler (what a resumed study pays: the refit schedule replayed, the factorization, the search) and then
/// <c>--steady</c> rounds in which an open trial reports its value and one suggestion is asked for and opened, keeping
/// <c>--open</c> open. Wall and CPU time (every thread of the process: BLAS, GC) side by side, the models alternating
/// within each n so that both see the same load, after an untimed warm-up.
/// </summary>
internal static class GpScaleBenchmark
{
    /// <summary>The options <c>gp-scale</c> takes.</summary>
    public static readonly string[] Options = ["n", "dimension", "open", "models", "full-max", "steady", "csv"];

    private static readonly string[] Models = ["full", "local"];

    public static void Run(BenchArguments arguments)
    {
        var dimension = arguments.Int("dimension", 10, min: 1);
        var open = arguments.Int("open", 63, min: 1);
        var steadyRounds = arguments.Int("steady", 5, min: 1);
        var fullMax = arguments.Int("full-max", 10000, min: 0);
        var models = arguments.List("models", "full,local");
        foreach (var model in models.Where(m => !Models.Contains(m)))
        {
            throw new ArgumentException($"--models: unknown model '{model}'; expected {string.Join(" or ", Models)}");
        }

        var function = new Ackley(dimension);
        // One untimed suggestion first, so that neither model's first row carries the JIT.
        new GpSampler().Suggest(LatencyBenchmark.OpenStudy(function, 50, open).Snapshot(), 1, CancellationToken.None);
        var rows = new List<string[]>();
        foreach (var n in arguments.Ints("n", "1000,2000,5000,10000,20000", min: 2))
        {
            foreach (var model in models.Where(m => m == "local" || n <= fullMax))
            {
                var state = LatencyBenchmark.OpenStudy(function, n, open);
                var options = GpSampler.OptionsFor(state.Snapshot().Definition);
                var sampler = new GpSampler(model == "full" ? options with { LocalModelThreshold = int.MaxValue } : options);
                var first = Time(() => sampler.Suggest(state.Snapshot(), 1, CancellationToken.None));
                var steady = new List<(double Wall, double Cpu)>();
                var next = n + open + 1;
                for (var round = 0; round < steadyRounds; round++)
                {
                    var reporting = state.Snapshot().Pending[0];
                    state.Apply(new TrialObserved(reporting.Id, LatencyBenchmark.Values(function, reporting.Assignment), Trial.EmptyMetadata, DateTimeOffset.UnixEpoch));
                    IReadOnlyList<HpcTune.Space.Assignment> made = [];
                    steady.Add(Time(() => made = sampler.Suggest(state.Snapshot(), 1, CancellationToken.None)));
                    state.Apply(new TrialCreated(next, made[0], $"w{next}", DateTimeOffset.UnixEpoch));
                    next++;
                }

                var wall = QualityBenchmark.Quartiles([.. steady.Select(s => s.Wall)]).Median;
                var cpu = QualityBenchmark.Quartiles([.. steady.Select(s => s.Cpu)]).Median;
                var modelSize = sampler.Model?.ObservationCount ?? 0;
                rows.Add([n.ToString(), model, modelSize.ToString(), Seconds(first.Wall), Seconds(first.Cpu), Seconds(wall), Seconds(cpu), Seconds(steady.Max(s => s.Wall)), sampler.LinearAlgebraName]);
                Console.Error.WriteLine($"n={n} {model}: first {first.Wall:F2} s ({first.Cpu:F2} s CPU), steady median {wall:F3} s ({cpu:F3} s CPU), model of {modelSize}");
            }
        }

        Table.Emit(["observations", "model", "model_points", "first_s", "first_cpu_s", "steady_s", "steady_cpu_s", "steady_max_s", "linear_algebra"], rows, arguments.Text("csv", "gp-scale.csv"));
    }

    private static string Seconds(double value) => value.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Wall and CPU seconds of <paramref name="action"/>, after a full collection so no earlier garbage is charged to it.</summary>
    internal static (double Wall, double Cpu) Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
    }
}
