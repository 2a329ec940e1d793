using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

/// <summary>
/// Issue 28 item 1: <c>HpcTune report</c> of studies run by the real CLI, opened in headless Chromium: no console
/// error, no request but the file itself, every chart drawn (data in its series and ink in its screenshot), and the
/// charts that the kind of study calls for — the Pareto front only with several objectives, the lineage only for a
/// population, learning curves only where trials reported. Alone in its collection: nothing else starts or kills
/// processes while the browser and Playwright's driver live.
/// </summary>
[Collection("browser")]
public sealed class ReportBrowserTests : IClassFixture<ReportBrowser>, IDisposable
{
    /// <summary>A categorical value that would end the data's script block if it were not escaped.</summary>
    private const string Hostile = "</script><script>window.injected = 1</script><!--";

    private static readonly string[] CommonCharts = ["parallel", "timeline", "busy"];

    private readonly ReportBrowser _browser;
    private readonly Workspace _w = new();

    public ReportBrowserTests(ReportBrowser browser) => _browser = browser;

    public void Dispose() => _w.Dispose();

    private async Task<string> RunAsync(string study, params string[] command)
    {
        var run = await HpcTuneProcess.RunAsync(["run", "--study", _w.Write("study.json", study), "--checkpoint", _w.Checkpoint, "--workers", "3", "--command", Workspace.Python, .. command]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return await ReportAsync();
    }

    private async Task<string> ReportAsync()
    {
        var html = _w.Combine("report.html");
        var report = await HpcTuneProcess.RunAsync("report", "--checkpoint", _w.Checkpoint, "--output", html);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("written to " + html, report.Stdout, StringComparison.Ordinal);
        return html;
    }

    /// <summary>Opens the report and checks what every report must hold; returns it for the study's own checks.</summary>
    private async Task<ReportBrowser.Opened> OpenAndCheckAsync(string html, bool finished = true)
    {
        var opened = await _browser.OpenAsync(html);
        Assert.Empty(opened.Errors);
        Assert.Equal([new Uri(html).AbsoluteUri], opened.Requests);
        Assert.NotEmpty(opened.Charts);
        // Before any trial finished, only the workers' charts have data.
        foreach (var chart in opened.Charts.Where(c => finished || c.Id is "timeline" or "busy"))
        {
            Assert.True(chart.Drawn, $"chart {chart.Id} did not finish drawing");
            Assert.True(chart.Points > 0, $"chart {chart.Id} has no data");
            var pixels = await _browser.ScreenshotAsync(opened, chart.Id);
            Assert.True(pixels.Width > 100 && pixels.Height > 100, $"chart {chart.Id} is {pixels.Width}x{pixels.Height}");
            var ink = pixels.InkShare();
            Assert.True(ink > 0.005 && pixels.Colors() > 8, $"chart {chart.Id} looks blank: {ink:P2} of its pixels differ from the background, {pixels.Colors()} colours");
        }

        return opened;
    }

    [Fact]
    public async Task A_single_objective_study_draws_progress_parameters_parallel_coordinates_and_workers_and_no_front()
    {
        var html = await RunAsync($$$"""
            {"name": "single</script>",
             "parameters": [{"name": "x", "type": "double", "bounds": {"min": -2, "max": 2}},
                            {"name": "lr", "type": "double", "bounds": {"min": 0.0001, "max": 1}, "transformation": "log"},
                            {"name": "k", "type": "categorical", "categorical_values": ["plain", {{{JsonSerializer.Serialize(Hostile)}}}]}],
             "metrics": [{"name": "loss", "objective": "minimize"}],
             "observation_budget": 12, "parallel_bandwidth": 3, "algorithm": {"name": "sobol", "seed": 2}}
            """, _w.Write("f.py", """
            import math, sys
            x, lr, k = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
            print((x - 0.5) ** 2 + abs(math.log10(lr) + 2) + (0.3 if k == "plain" else 0))
            """), "{x}", "{lr}", "{k}");
        await using var opened = await OpenAndCheckAsync(html);
        Assert.Equal(["progress-loss", "best-time-loss", "parameter-x", "parameter-lr", "parameter-k", .. CommonCharts], opened.ChartIds);
        Assert.Equal(12, opened.Charts.Single(c => c.Id == "parallel").Points);

        // Brushing x's axis to [-2, 0] moves the lines of the trials outside it to the grey series, and only those.
        var outside = Checkpoint.Read(_w.Checkpoint).State.Trials.Count(t => t.State == TrialState.Completed && t.Assignment.GetDouble("x") is < -2 or > 0);
        Assert.InRange(outside, 1, 11);
        Assert.Equal(outside, await opened.Page.EvaluateAsync<int>("""
            () => {
              const chart = echarts.getInstanceByDom(document.querySelector('[data-chart="parallel"]'));
              chart.dispatchAction({ type: "axisAreaSelect", parallelAxisId: "axis0", intervals: [[-2, 0]] });
              const flat = chart.getOption().series.find(s => s.name === "outside the selection").data;
              let n = 0;
              for (let k = 0; k < flat.length; k += 1 + 2 * flat[k]) n++;
              return n;
            }
            """));

        // The hostile value and name arrive as text: the page holds its own four scripts and nothing ran from the data.
        Assert.Equal(4, await opened.Page.EvaluateAsync<int>("() => document.scripts.length"));
        Assert.False(await opened.Page.EvaluateAsync<bool>("() => 'injected' in window"));
        Assert.Equal(Hostile, await opened.Page.EvaluateAsync<string>("() => JSON.parse(document.getElementById('study-data').textContent).parameters[2].categories[1]"));
        Assert.Equal("Study single</script>", await opened.Page.Locator("#title").TextContentAsync());
    }

    [Fact]
    public async Task A_two_objective_study_with_a_constraint_draws_its_pareto_front()
    {
        var html = await RunAsync("""
            {"name": "two",
             "parameters": [{"name": "x", "type": "double", "bounds": {"min": -1, "max": 3}}],
             "metrics": [{"name": "f1", "objective": "minimize"}, {"name": "f2", "objective": "minimize"},
                         {"name": "x_value", "objective": "minimize", "strategy": "constraint", "threshold": 2.5}],
             "observation_budget": 12, "parallel_bandwidth": 3, "algorithm": {"name": "random", "seed": 3}}
            """, _w.Write("two.py", """
            import json, sys
            x = float(sys.argv[1])
            print(json.dumps({"f1": x * x, "f2": (x - 2) ** 2, "x_value": x}))
            """), "{x}");
        await using var opened = await OpenAndCheckAsync(html);
        Assert.Equal(["progress-f1", "best-time-f1", "progress-f2", "best-time-f2", "parameter-x", .. CommonCharts[..1], "pareto-f1-f2", .. CommonCharts[1..]], opened.ChartIds);
        var front = Checkpoint.Read(_w.Checkpoint).State.ParetoFront.Count;
        Assert.True(front > 0);
        Assert.Equal(front, await opened.Page.EvaluateAsync<int>("""
            () => echarts.getInstanceByDom(document.querySelector('[data-chart="pareto-f1-f2"]')).getOption().series.find(s => s.name === "Pareto front").data.length
            """));
    }

    [Fact]
    public async Task A_population_draws_its_lineage_and_the_reports_of_its_segments()
    {
        var html = await RunAsync("""
            {"name": "pbt",
             "parameters": [{"name": "h0", "type": "double", "bounds": {"min": 0, "max": 1}}],
             "metrics": [{"name": "q", "objective": "maximize"}],
             "observation_budget": 8, "parallel_bandwidth": 4,
             "algorithm": {"name": "pbt", "seed": 5, "population_size": 4, "steps_per_generation": 2, "generations": 2, "quantile": 0.25}}
            """, _w.Write("train.py", """
            import json, sys
            h, start, end = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
            for step in range(start + 1, end + 1):
                q = 1 - (1 - h) ** step
                print("HPCTUNE_REPORT", json.dumps({"step": step, "q": q}), flush=True)
            print(q)
            """), "{h0}", "{start_step}", "{end_step}");
        await using var opened = await OpenAndCheckAsync(html);
        Assert.Equal(["progress-q", "best-time-q", "parameter-h0", "parallel", "reports", "lineage", "timeline", "busy"], opened.ChartIds);
        Assert.Equal(8, opened.Charts.Single(c => c.Id == "lineage").Points - await opened.Page.EvaluateAsync<int>("""
            () => echarts.getInstanceByDom(document.querySelector('[data-chart="lineage"]')).getOption().series[0].data.length
            """));
    }

    [Fact]
    public async Task An_early_stopping_study_draws_learning_curves()
    {
        var html = await RunAsync("""
            {"name": "asha",
             "parameters": [{"name": "lr", "type": "double", "bounds": {"min": 0.01, "max": 1}}],
             "metrics": [{"name": "loss", "objective": "minimize"}],
             "observation_budget": 9, "parallel_bandwidth": 3, "algorithm": {"name": "random", "seed": 7},
             "early_stopping": {"name": "asha", "min_steps": 1, "reduction_factor": 3, "max_steps": 9}}
            """, _w.Write("curve.py", """
            import json, sys
            lr = float(sys.argv[1])
            for step in range(1, 10):
                loss = 1 / (1 + lr * step)
                print("HPCTUNE_REPORT", json.dumps({"step": step, "loss": loss}), flush=True)
            print(loss)
            """), "{lr}");
        await using var opened = await OpenAndCheckAsync(html);
        Assert.Equal(["progress-loss", "best-time-loss", "parameter-lr", "parallel", "reports", "timeline", "busy"], opened.ChartIds);
        var reports = Checkpoint.Read(_w.Checkpoint).State.Trials.Sum(t => t.Reports.Count);
        Assert.True(reports > 9, $"{reports} reports");
    }

    [Fact]
    public async Task A_report_made_while_a_study_runs_shows_its_open_trials_on_the_timeline()
    {
        var release = _w.Combine("release");
        var started = _w.Combine("started");
        var objective = _w.GatedObjective(started, release);
        using var master = HpcTuneProcess.Start(_w.Path, "run", "--study", _w.Study(budget: 6, bandwidth: 2), "--checkpoint", _w.Checkpoint, "--workers", "2",
            "--command", Workspace.Python, objective, "{x}");
        try
        {
            Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 2), "both workers started their trial");
            var html = await ReportAsync();
            await using var opened = await OpenAndCheckAsync(html, finished: false);
            Assert.All(opened.Charts, c => Assert.True(c.Drawn, $"chart {c.Id} did not finish drawing"));
            var open = await opened.Page.EvaluateAsync<int>("() => { const d = JSON.parse(document.getElementById('study-data').textContent); return d.timeline.outcome.filter(o => d.states[o] === 'open').length; }");
            Assert.Equal(2, open);
        }
        finally
        {
            File.WriteAllText(release, "");
            var result = await HpcTuneProcess.CollectAsync(master, TimeSpan.FromMinutes(2), () => master.Kill(entireProcessTree: true));
            Assert.True(result.ExitCode == 0, result.Stderr);
        }
    }

    [Fact]
    public async Task A_torn_journal_tail_is_reported_like_status_does_and_the_rest_is_drawn()
    {
        var run = await HpcTuneProcess.RunAsync("run", "--study", _w.Study(budget: 8), "--checkpoint", _w.Checkpoint, "--workers", "2",
            "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        File.AppendAllText(Checkpoint.JournalPath(_w.Checkpoint), "\u0001torn");
        var html = _w.Combine("torn.html");
        var report = await HpcTuneProcess.RunAsync("report", "--checkpoint", _w.Checkpoint, "--output", html);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains("note:", report.Stderr, StringComparison.Ordinal);
        await using var opened = await OpenAndCheckAsync(html);
        Assert.False(await opened.Page.Locator("#warning").IsHiddenAsync());
    }
}
