using System.Diagnostics;
using System.Globalization;
using HpcTune.Bench.Service;
using Microsoft.Playwright;

namespace HpcTune.Bench;

/// <summary>
/// How long the HTML report of a large study takes to open: a study of <c>--trials</c> trials run by the real CLI
/// (in-process workers, the built-in Branin objective, every result journaled), its report written by
/// <c>HpcTune report</c>, then opened <c>--repeats</c> times in headless Chromium, each time in a fresh browser
/// context, timing navigation start to the moment the page says every chart has drawn (its own
/// <c>performance.now()</c>). Prints and writes the median and the range, and the median time each chart took to
/// set up and draw. With <c>--html A,B,...</c> it opens those reports instead, in turn (A, B, A, B, ...) so that
/// each sees the same load, and gives each one's median and its ratio to the first's.
/// </summary>
internal static class ReportLoadBenchmark
{
    public static readonly string[] Options = ["trials", "workers", "repeats", "cli", "chromium", "output", "html"];

    public static async Task RunAsync(BenchArguments arguments, string command)
    {
        if (arguments.Has("html"))
        {
            await CompareAsync(arguments, command).ConfigureAwait(false);
            return;
        }

        var trials = arguments.Int("trials", 10_000, min: 1);
        var workers = arguments.Int("workers", 16, min: 1);
        var repeats = arguments.Int("repeats", 5, min: 1);
        var cli = ServeProcess.ResolveCli(arguments.Has("cli") ? arguments.Text("cli", "") : null);
        var chromium = arguments.Text("chromium", "/usr/bin/chromium");
        var directory = Directory.CreateTempSubdirectory("hpctune-report-load-").FullName;
        try
        {
            var study = Path.Combine(directory, "study.json");
            await File.WriteAllTextAsync(study, $$$"""
                {"name": "report-load",
                 "parameters": [{"name": "x1", "type": "double", "bounds": {"min": -5, "max": 10}},
                                {"name": "x2", "type": "double", "bounds": {"min": 0, "max": 15}}],
                 "metrics": [{"name": "value", "objective": "minimize"}],
                 "observation_budget": {{{trials}}}, "parallel_bandwidth": {{{workers}}}, "algorithm": {"name": "random", "seed": 1}}
                """).ConfigureAwait(false);
            var checkpoint = Path.Combine(directory, "ckpt");
            var html = Path.Combine(directory, "report.html");
            await RunCliAsync(cli, "run", "--study", study, "--checkpoint", checkpoint, "--objective", "builtin:branin", "--workers", workers.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
            var written = Stopwatch.StartNew();
            await RunCliAsync(cli, "report", "--checkpoint", checkpoint, "--output", html).ConfigureAwait(false);
            var writeSeconds = written.Elapsed.TotalSeconds;
            var loads = (await MeasureAsync(chromium, [html], repeats).ConfigureAwait(false))[0];
            var times = loads.Select(l => l.Ms).ToList();
            var sorted = times.Order().ToArray();
            var median = sorted[sorted.Length / 2];
            var cpu = Median(loads.Select(l => l.CpuMs));
            var text = string.Create(CultureInfo.InvariantCulture, $"""
                # {command}
                # {trials} trials, {workers} workers; report {new FileInfo(html).Length / 1024.0 / 1024.0:F2} MiB, written by `HpcTune report` in {writeSeconds:F2} s (process start included)
                # Chromium: {chromium}; navigation start to every chart drawn, {repeats} loads, each in a fresh context
                median_ms	min_ms	max_ms	loads_ms
                {median:F0}	{sorted[0]:F0}	{sorted[^1]:F0}	{string.Join(',', times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}
                # renderer process CPU by then: median {cpu:F0} ms; median ms per chart (set up): {ChartMedians(loads)}

                """);
            await WriteAsync(arguments, text).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Opens existing reports in turn, the same number of times each, and compares their medians.</summary>
    private static async Task CompareAsync(BenchArguments arguments, string command)
    {
        var files = arguments.List("html", "").Select(Path.GetFullPath).ToList();
        var missing = files.FirstOrDefault(f => !File.Exists(f));
        if (files.Count == 0 || missing is not null)
        {
            throw new ArgumentException($"--html: {missing ?? "no file"} does not exist; name report files, separated by commas");
        }

        var repeats = arguments.Int("repeats", 10, min: 1);
        var chromium = arguments.Text("chromium", "/usr/bin/chromium");
        var loads = await MeasureAsync(chromium, files, repeats).ConfigureAwait(false);
        var medians = loads.Select(l => Median(l.Select(x => x.Ms))).ToList();
        var cpu = loads.Select(l => Median(l.Select(x => x.CpuMs))).ToList();
        var text = new System.Text.StringBuilder(string.Create(CultureInfo.InvariantCulture, $"""
            # {command}
            # Chromium: {chromium}; navigation start to every chart drawn, {repeats} loads of each report, in turn, each in a fresh context
            report	median_ms	min_ms	max_ms	ratio_to_first	cpu_median_ms	cpu_ratio_to_first	loads_ms

            """));
        for (var f = 0; f < files.Count; f++)
        {
            var times = loads[f].Select(l => l.Ms).ToList();
            text.Append(CultureInfo.InvariantCulture, $"{files[f]}\t{medians[f]:F0}\t{times.Min():F0}\t{times.Max():F0}\t{medians[f] / medians[0]:F3}\t{cpu[f]:F0}\t{cpu[f] / cpu[0]:F3}\t{string.Join(',', times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}\n");
        }

        for (var f = 0; f < files.Count; f++)
        {
            text.Append(CultureInfo.InvariantCulture, $"# {Path.GetFileName(files[f])}: median ms per chart (set up): {ChartMedians(loads[f])}\n");
        }

        await WriteAsync(arguments, text.ToString()).ConfigureAwait(false);
    }

    private static async Task WriteAsync(BenchArguments arguments, string text)
    {
        Console.Write(text);
        if (arguments.Has("output"))
        {
            await File.WriteAllTextAsync(arguments.Text("output", ""), text).ConfigureAwait(false);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Each chart's median time over the loads, slowest first; "not recorded" for a page that does not time its charts.</summary>
    private static string ChartMedians(IReadOnlyList<Load> loads)
    {
        var charts = loads.SelectMany(l => l.Charts.Keys).Distinct().ToList();
        return charts.Count == 0
            ? "not recorded"
            : string.Join(", ", charts
                .Select(c => (Chart: c, Ms: Median(loads.Where(l => l.Charts.ContainsKey(c)).Select(l => l.Charts[c]))))
                .OrderByDescending(c => c.Ms)
                .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Chart} {c.Ms:F0}")));
    }

    /// <summary>
    /// One load of a report: navigation start to every chart drawn, the CPU time of the page's renderer process by
    /// then (its own process: less sensitive than wall time to other jobs on the machine), and each chart's own time.
    /// </summary>
    private sealed record Load(double Ms, double CpuMs, Dictionary<string, double> Charts);

    /// <summary>Chromium's <c>ProcessTime</c> metric (seconds of CPU of the renderer process) in milliseconds.</summary>
    private static double RendererCpuMs(System.Text.Json.JsonElement? metrics) =>
        metrics?.GetProperty("metrics").EnumerateArray().Where(m => m.GetProperty("name").GetString() == "ProcessTime").Select(m => m.GetProperty("value").GetDouble() * 1000).FirstOrDefault() ?? double.NaN;

    private static async Task RunCliAsync(string cli, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"HpcTune {arguments[0]} exited {process.ExitCode}: {await stderr.ConfigureAwait(false)}");
        }

        _ = await stdout.ConfigureAwait(false);
    }

    /// <summary>Opens each of <paramref name="files"/> in turn, <paramref name="repeats"/> rounds; the loads per file.</summary>
    private static async Task<List<List<Load>>> MeasureAsync(string chromium, List<string> files, int repeats)
    {
        using var playwright = await Playwright.CreateAsync().ConfigureAwait(false);
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        }).ConfigureAwait(false);
        await using (browser.ConfigureAwait(false))
        {
            var loads = files.Select(_ => new List<Load>()).ToList();
            for (var i = 0; i < repeats; i++)
            {
                for (var f = 0; f < files.Count; f++)
                {
                    var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } }).ConfigureAwait(false);
                    await using (context.ConfigureAwait(false))
                    {
                        var page = await context.NewPageAsync().ConfigureAwait(false);
                        var devtools = await context.NewCDPSessionAsync(page).ConfigureAwait(false);
                        await devtools.SendAsync("Performance.enable").ConfigureAwait(false);
                        await page.GotoAsync(new Uri(files[f]).AbsoluteUri).ConfigureAwait(false);
                        await page.WaitForFunctionAsync("() => window.hpctuneReport && window.hpctuneReport.ready", null, new PageWaitForFunctionOptions { Timeout = 120_000 }).ConfigureAwait(false);
                        var ms = await page.EvaluateAsync<double>("() => window.hpctuneReport.ms").ConfigureAwait(false);
                        var charts = await page.EvaluateAsync<Dictionary<string, double>>("() => window.hpctuneReport.timings || {}").ConfigureAwait(false);
                        loads[f].Add(new Load(ms, RendererCpuMs(await devtools.SendAsync("Performance.getMetrics").ConfigureAwait(false)), charts));
                    }
                }
            }

            return loads;
        }
    }
}
