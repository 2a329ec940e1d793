using System.Diagnostics;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// What a report costs the master with each early stopping rule, as a study grows: a tuner without a journal runs
/// <c>--trials</c> trials of up to <c>--reports</c> reports each (<c>--open</c> at a time, in lock step, Branin values
/// on a power-law curve), and the time of every <see cref="Tuner.ReportProgress"/> call is summed: over the whole study
/// and over the last tenth of its trials (the largest snapshots).
/// The rule is asked under the study's lock, so this is time no other worker can be served in.
/// </summary>
internal static class EarlyStoppingCostBenchmark
{
    /// <summary>The options <c>early-stopping-cost</c> takes.</summary>
    public static readonly string[] Options = ["trials", "reports", "open", "rules", "csv"];

    public static void Run(BenchArguments arguments)
    {
        var trials = arguments.Int("trials", 5000, min: 10);
        var reports = arguments.Int("reports", 30, min: 1);
        var open = arguments.Int("open", 16, min: 1);
        var rows = new List<string[]>();
        foreach (var rule in arguments.List("rules", "none,median,asha"))
        {
            var spec = rule switch
            {
                "none" => null,
                "median" => new EarlyStoppingSpec("median"),
                "asha" => new EarlyStoppingSpec("asha").WithOption("max_steps", (long)reports),
                _ => throw new ArgumentException($"--rules: unknown rule '{rule}'; expected none, median or asha"),
            };
            var function = TestFunctions.Get("branin");
            var plain = function.CreateStudy(trials, open, new AlgorithmSpec("random", 1));
            var study = new StudyDefinition(plain.Name, plain.Space.Parameters, plain.Metrics, trials, open, null, plain.Algorithm, null, null, spec);
            var tuner = new Tuner(study);
            var running = new List<(long Id, double Final, long Step)>();
            var clock = new Stopwatch();
            var lastTenth = new Stopwatch();
            long calls = 0;
            long lateCalls = 0;
            var worker = 0;
            while (true)
            {
                while (running.Count < open && tuner.Suggest($"w{worker++}") is { Status: SuggestStatus.Issued, Trial: { } trial })
                {
                    running.Add((trial.Id, function.Evaluate([trial.Assignment.GetDouble("x1"), trial.Assignment.GetDouble("x2")]), 0));
                }

                if (running.Count == 0)
                {
                    break;
                }

                for (var i = 0; i < running.Count; i++)
                {
                    var (id, final, step) = running[i];
                    step++;
                    var values = new Dictionary<string, double> { [TestFunction.MetricName] = final + (10 / Math.Sqrt(step)) };
                    var late = id > trials * 9 / 10;
                    var watch = late ? lastTenth : clock;
                    watch.Start();
                    var after = tuner.ReportProgress(id, step, values);
                    watch.Stop();
                    calls++;
                    lateCalls += late ? 1 : 0;
                    if (after.State == TrialState.Open && step == reports)
                    {
                        tuner.Observe(id, final);
                    }

                    running[i] = (id, final, after.State == TrialState.Open && step < reports ? step : -1);
                }

                running.RemoveAll(r => r.Step < 0);
            }

            rows.Add([rule, trials.ToString(), reports.ToString(), open.ToString(), calls.ToString(), tuner.Progress.Pruned.ToString(),
                Table.Number((clock.Elapsed + lastTenth.Elapsed).TotalMilliseconds * 1000 / calls), Table.Number(lastTenth.Elapsed.TotalMilliseconds * 1000 / Math.Max(1, lateCalls))]);
        }

        Table.Emit(["rule", "trials", "max_reports", "open", "reports", "pruned", "us_per_report", "us_per_report_last_tenth"], rows, arguments.Text("csv", "early-stopping-cost.csv"));
    }
}
