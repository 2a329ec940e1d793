using System.Diagnostics;
using HpcTune.Gp.Sampling;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// Time of one GP suggestion with n completed observations and k suggestions open elsewhere (d = 10, Ackley
/// values at random points): the first one (hyperparameter fit + factorization + suggestion) and the steady
/// state (a new observation arrived: rank-1 extension + fantasies + acquisition optimization). With
/// <c>--burst K</c>, also K suggestions asked together after the last result (the master's burst when K ranks finish
/// at once): their mean time as one batch (<see cref="GpSampler.Suggest"/> with count K) and as K suggestions one at a time.
/// </summary>
internal static class LatencyBenchmark
{
    /// <summary>The options <c>latency</c> takes.</summary>
    public static readonly string[] Options = ["sizes", "dimension", "open", "burst", "linalg", "csv"];

    public static void Run(BenchArguments arguments)
    {
        var dimension = arguments.Int("dimension", 10, min: 1);
        var open = arguments.Int("open", 63, min: 0);
        var burst = arguments.Int("burst", 0, min: 0);
        var function = new Ackley(dimension);
        var rows = new List<string[]>();
        foreach (var n in arguments.Ints("sizes", "100,1000,5000", min: 2))
        {
            var state = OpenStudy(function, n, open);
            var definition = state.Snapshot().Definition;
            var time = DateTimeOffset.UnixEpoch;
            var sampler = new GpSampler(GpSampler.OptionsFor(definition) with { LinearAlgebra = HpcTune.Gp.LinearAlgebra.LinearAlgebraProviders.Select(arguments.Text("linalg", "auto"), null, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) });
            var clock = Stopwatch.StartNew();
            sampler.Suggest(state.Snapshot(), 1, CancellationToken.None);
            var first = clock.Elapsed.TotalMilliseconds;

            var steady = new List<double>();
            for (var round = 0; round < 5; round++)
            {
                // A result comes in for one of the open trials and a new suggestion is asked for.
                var id = n + round + 1;
                state.Apply(new TrialObserved(id, new Dictionary<string, double> { [TestFunction.MetricName] = 20 }, HpcTune.Trials.Trial.EmptyMetadata, time));
                clock.Restart();
                sampler.Suggest(state.Snapshot(), 1, CancellationToken.None);
                steady.Add(clock.Elapsed.TotalMilliseconds);
            }

            var median = QualityBenchmark.Quartiles(steady).Median;
            var (series, each) = burst > 0 ? (Burst(sampler, state, burst, series: true), Burst(sampler, state, burst, series: false)) : (double.NaN, double.NaN);
            rows.Add([n.ToString(), open.ToString(), dimension.ToString(), Table.Number(first), Table.Number(median), burst.ToString(), Table.Number(series), Table.Number(each), sampler.LinearAlgebraName]);
            Console.Error.WriteLine($"n={n}: first {first:F0} ms, steady {median:F1} ms" + (burst > 0 ? $", burst of {burst}: {series:F2} ms each as a series, {each:F2} ms one at a time" : ""));
        }

        Table.Emit(["observations", "open", "dimension", "first_ms", "steady_ms", "burst", "series_ms", "each_ms", "linear_algebra"], rows, arguments.Text("csv", "latency.csv"));
    }

    /// <summary>
    /// A GP study of <paramref name="function"/> with trials 1..<paramref name="n"/> completed at uniform random points
    /// (seeded by n) and the next <paramref name="open"/> open.
    /// </summary>
    internal static StudyState OpenStudy(TestFunction function, int n, int open)
    {
        var definition = function.CreateStudy(n + open + 10, open + 1, new AlgorithmSpec("gp", 1));
        var state = new StudyState(definition);
        var random = new Random(n);
        var time = DateTimeOffset.UnixEpoch;
        for (var i = 1; i <= n + open; i++)
        {
            var x = Enumerable.Range(0, function.Dimension).Select(_ => random.NextDouble()).ToArray();
            var assignment = definition.Space.Decode(x);
            state.Apply(new TrialCreated(i, assignment, $"w{i}", time));
            if (i <= n)
            {
                state.Apply(new TrialObserved(i, Values(function, assignment), HpcTune.Trials.Trial.EmptyMetadata, time));
            }
        }

        return state;
    }

    /// <summary>The metric values of <paramref name="function"/> at <paramref name="assignment"/>.</summary>
    internal static Dictionary<string, double> Values(TestFunction function, HpcTune.Space.Assignment assignment) =>
        new() { [TestFunction.MetricName] = function.Evaluate([.. Enumerable.Range(1, function.Dimension).Select(k => assignment.GetDouble($"x{k}"))]) };

    /// <summary>Mean milliseconds per suggestion of <paramref name="count"/> new trials asked together: one batch, or one at a time.</summary>
    private static double Burst(GpSampler sampler, StudyState state, int count, bool series)
    {
        var snapshot = state.Snapshot();
        var clock = Stopwatch.StartNew();
        var made = series ? sampler.Suggest(snapshot, count, CancellationToken.None) : snapshot.SuggestEach(count, s => sampler.Suggest(s, 1, CancellationToken.None)[0]);
        return clock.Elapsed.TotalMilliseconds / made.Count;
    }
}
