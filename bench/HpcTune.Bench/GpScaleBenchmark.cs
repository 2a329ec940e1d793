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
/// within each n so that both see the same load, after an untimed warm-up. <c>--study constrained</c> adds a constraint
/// metric and failures (the feasibility model's cost), <c>--study multi</c> a second objective, with the multi-objective
/// sampler (EHVI), which has no local model.
/// </summary>
internal static class GpScaleBenchmark
{
    /// <summary>The options <c>gp-scale</c> takes.</summary>
    public static readonly string[] Options = ["n", "dimension", "open", "models", "full-max", "steady", "study", "csv"];

    private static readonly string[] Studies = ["plain", "constrained", "multi"];

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

        var study = arguments.Text("study", "plain");
        if (!Studies.Contains(study))
        {
            throw new ArgumentException($"--study: unknown study '{study}'; expected {string.Join(" or ", Studies)}");
        }

        var constrained = study == "constrained";
        if (constrained && dimension < 3)
        {
            throw new ArgumentException($"--study constrained needs --dimension 3 or more (its constraint and failures read x1 to x3), got {dimension}");
        }

        var multi = study == "multi";

        var function = new Ackley(dimension);
        // One untimed suggestion first, so that neither model's first row carries the JIT.
        new GpSampler().Suggest(LatencyBenchmark.OpenStudy(function, 50, open).Snapshot(), 1, CancellationToken.None);
        var rows = new List<string[]>();
        foreach (var n in arguments.Ints("n", "1000,2000,5000,10000,20000", min: 2))
        {
            foreach (var model in models.Where(m => m == "local" || n <= fullMax))
            {
                var state = constrained || multi ? Study(function, n, open, study) : LatencyBenchmark.OpenStudy(function, n, open);
                var options = GpSampler.OptionsFor(state.Snapshot().Definition);
                options = model == "full" ? options with { LocalModelThreshold = int.MaxValue } : options;
                // The multi-objective sampler has no local model: both rows are its model of every observation.
                HpcTune.Sampling.ISampler sampler = multi ? new HpcTune.Gp.MultiObjective.MultiObjectiveGpSampler(HpcTune.Gp.MultiObjective.MultiObjectiveMethod.Ehvi, options) : new GpSampler(options);
                var first = Time(() => sampler.Suggest(state.Snapshot(), 1, CancellationToken.None));
                var steady = new List<(double Wall, double Cpu)>();
                var next = n + open + 1;
                for (var round = 0; round < steadyRounds; round++)
                {
                    var reporting = state.Snapshot().Pending[0];
                    Report(state, function, reporting.Id, reporting.Assignment, study);
                    IReadOnlyList<HpcTune.Space.Assignment> made = [];
                    steady.Add(Time(() => made = sampler.Suggest(state.Snapshot(), 1, CancellationToken.None)));
                    state.Apply(new TrialCreated(next, made[0], $"w{next}", DateTimeOffset.UnixEpoch));
                    next++;
                }

                var wall = QualityBenchmark.Quartiles([.. steady.Select(s => s.Wall)]).Median;
                var cpu = QualityBenchmark.Quartiles([.. steady.Select(s => s.Cpu)]).Median;
                var modelSize = (sampler as GpSampler)?.Model?.ObservationCount ?? n;
                rows.Add([n.ToString(), model, modelSize.ToString(), Seconds(first.Wall), Seconds(first.Cpu), Seconds(wall), Seconds(cpu), Seconds(steady.Max(s => s.Wall)), options.LinearAlgebra.Name]);
                Console.Error.WriteLine($"n={n} {model}: first {first.Wall:F2} s ({first.Cpu:F2} s CPU), steady median {wall:F3} s ({cpu:F3} s CPU), model of {modelSize}");
            }
        }

        Table.Emit(["observations", "model", "model_points", "first_s", "first_cpu_s", "steady_s", "steady_cpu_s", "steady_max_s", "linear_algebra"], rows, arguments.Text("csv", "gp-scale.csv"));
    }

    /// <summary>
    /// The study of <see cref="LatencyBenchmark.OpenStudy"/> with, for <c>constrained</c>, a constraint metric and
    /// failures, what a constrained study's feasibility model (docs/gp-constraints.md) sees at n: <c>c</c> = x1 + x2 at
    /// most 0 (half the box), and a trial fails where x3 lies in the top tenth of its range (a tenth of the trials);
    /// for <c>multi</c>, a second objective <c>spread</c>, the squared distance from the box's centre.
    /// </summary>
    private static StudyState Study(TestFunction function, int n, int open, string study)
    {
        var plain = function.CreateStudy(n + open + 10, open + 1, new AlgorithmSpec("gp", 1));
        var extra = study == "multi" ? new MetricDefinition(SecondObjective, MetricObjective.Minimize) : new MetricDefinition(ConstraintMetric, MetricObjective.Minimize, MetricStrategy.Constraint, 0);
        var definition = new StudyDefinition($"{function.Name}-{study}", plain.Space.Parameters, [.. plain.Metrics, extra],
            plain.ObservationBudget, plain.ParallelBandwidth, maxFailures: n + open + 10, algorithm: plain.Algorithm);
        var state = new StudyState(definition);
        var random = new Random(n);
        for (var i = 1; i <= n + open; i++)
        {
            var x = Enumerable.Range(0, function.Dimension).Select(_ => random.NextDouble()).ToArray();
            var assignment = definition.Space.Decode(x);
            state.Apply(new TrialCreated(i, assignment, $"w{i}", DateTimeOffset.UnixEpoch));
            if (i <= n)
            {
                Report(state, function, i, assignment, study);
            }
        }

        return state;
    }

    private const string ConstraintMetric = "c";

    private const string SecondObjective = "spread";

    /// <summary>An open trial's result: the function's value, and in a constrained study the constraint's or a failure, in a multi-objective one the second objective's.</summary>
    private static void Report(StudyState state, TestFunction function, long id, HpcTune.Space.Assignment assignment, string study)
    {
        var values = LatencyBenchmark.Values(function, assignment);
        var constrained = study == "constrained";
        if (study == "multi")
        {
            values[SecondObjective] = Enumerable.Range(0, function.Dimension)
                .Sum(k => Math.Pow(((assignment.GetDouble($"x{k + 1}") - function.LowerBound(k)) / (function.UpperBound(k) - function.LowerBound(k))) - 0.5, 2));
        }

        if (constrained && (assignment.GetDouble("x3") - function.LowerBound(2)) / (function.UpperBound(2) - function.LowerBound(2)) > 0.9)
        {
            state.Apply(new TrialFailed(id, "out of memory", Trial.EmptyMetadata, DateTimeOffset.UnixEpoch));
            return;
        }

        if (constrained)
        {
            values[ConstraintMetric] = assignment.GetDouble("x1") + assignment.GetDouble("x2");
        }

        state.Apply(new TrialObserved(id, values, Trial.EmptyMetadata, DateTimeOffset.UnixEpoch));
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
