using System.Globalization;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// <c>fantasy-cap</c>: what a GP suggestion costs against how many open trials its model carries as fantasies
/// (<see cref="GpOptions.MaxFantasies"/>, docs/scale.md). For each cap, a study of Ackley at <c>--n</c> uniform random
/// points with <c>--open</c> trials open; a fresh sampler's first suggestion (untimed: the refit schedule replayed),
/// then <c>--steady</c> rounds in which an open trial reports and a batch of <c>--burst</c> suggestions is asked for
/// and opened. Wall and CPU time (every thread of the process) per batch, the caps alternating round by round so
/// that all see the same load.
/// </summary>
internal static class FantasyCapBenchmark
{
    /// <summary>The options <c>fantasy-cap</c> takes.</summary>
    public static readonly string[] Options = ["n", "open", "dimension", "caps", "steady", "burst", "csv"];

    public static void Run(BenchArguments arguments)
    {
        var n = arguments.Int("n", 2500, min: 2);
        var open = arguments.Int("open", 4000, min: 1);
        var dimension = arguments.Int("dimension", 10, min: 1);
        var caps = arguments.Ints("caps", "64,128,256,512,1024,4096", min: 1);
        var steadyRounds = arguments.Int("steady", 3, min: 1);
        var burst = arguments.Int("burst", 1, min: 1);
        var function = new Ackley(dimension);
        var runs = caps.Select(cap =>
        {
            var state = LatencyBenchmark.OpenStudy(function, n, open);
            var sampler = new GpSampler(GpSampler.OptionsFor(state.Snapshot().Definition) with { MaxFantasies = cap });
            sampler.Suggest(state.Snapshot(), 1, CancellationToken.None); // replays the refit schedule: not what a master pays per suggestion
            return (Cap: cap, State: state, Sampler: sampler, Next: (long)n + open + 1, Times: new List<(double Wall, double Cpu)>());
        }).ToList();
        for (var round = 0; round < steadyRounds; round++)
        {
            for (var r = 0; r < runs.Count; r++)
            {
                var run = runs[r];
                var reporting = run.State.Snapshot().Pending[0];
                run.State.Apply(new TrialObserved(reporting.Id, LatencyBenchmark.Values(function, reporting.Assignment), Trial.EmptyMetadata, DateTimeOffset.UnixEpoch));
                IReadOnlyList<HpcTune.Space.Assignment> made = [];
                run.Times.Add(GpScaleBenchmark.Time(() => made = run.Sampler.Suggest(run.State.Snapshot(), burst, CancellationToken.None)));
                foreach (var assignment in made)
                {
                    run.State.Apply(new TrialCreated(run.Next, assignment, $"w{run.Next}", DateTimeOffset.UnixEpoch));
                    runs[r] = run = run with { Next = run.Next + 1 };
                }

                Console.Error.WriteLine($"cap {run.Cap}, round {round + 1}: {run.Times[^1].Wall:F2} s ({run.Times[^1].Cpu:F2} s CPU)");
            }
        }

        var rows = runs.Select(run => new[]
        {
            n.ToString(CultureInfo.InvariantCulture), open.ToString(CultureInfo.InvariantCulture), run.Cap.ToString(CultureInfo.InvariantCulture),
            Math.Min(run.Cap, open).ToString(CultureInfo.InvariantCulture), burst.ToString(CultureInfo.InvariantCulture),
            Seconds(QualityBenchmark.Quartiles([.. run.Times.Select(t => t.Wall)]).Median), Seconds(QualityBenchmark.Quartiles([.. run.Times.Select(t => t.Cpu)]).Median),
            run.Sampler.Model?.ObservationCount.ToString(CultureInfo.InvariantCulture) ?? "0",
        }).ToList();
        Table.Emit(["observations", "open", "cap", "fantasies", "burst", "batch_s", "batch_cpu_s", "model_points"], rows, arguments.Text("csv", "fantasy-cap.csv"));
    }

    /// <summary>N of a "gp-fantasies-N" quality variant (the GP fantasizing at most N open trials); null for any other name.</summary>
    /// <exception cref="ArgumentException">A "gp-fantasies-" name without a positive whole number after it.</exception>
    internal static int? Cap(string name) =>
        !name.StartsWith(Variant, StringComparison.Ordinal) ? null
        : int.TryParse(name.AsSpan(Variant.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var cap) && cap > 0 ? cap
        : throw new ArgumentException($"'{name}': expected {Variant}N with N the open trials fantasized, a positive whole number (gp-fantasies-16)");

    private const string Variant = "gp-fantasies-";

    private static string Seconds(double value) => value.ToString("F3", CultureInfo.InvariantCulture);
}
