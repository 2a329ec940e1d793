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
/// <c>performance.now()</c>). Prints and writes the median and the range.
/// </summary>
internal static class ReportLoadBenchmark
{
    public static readonly string[] Options = ["trials", "workers", "repeats", "cli", "chromium", "output"];

    public static async Task RunAsync(BenchArguments arguments, string command)
    {
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
            var times = await MeasureAsync(chromium, html, repeats).ConfigureAwait(false);
            var sorted = times.Order().ToArray();
            var median = sorted[sorted.Length / 2];
            var text = string.Create(CultureInfo.InvariantCulture, $"""
                # {command}
                # {trials} trials, {workers} workers; report {new FileInfo(html).Length / 1024.0 / 1024.0:F2} MiB, written by `HpcTune report` in {writeSeconds:F2} s (process start included)
                # Chromium: {chromium}; navigation start to every chart drawn, {repeats} loads, each in a fresh context
                median_ms	min_ms	max_ms	loads_ms
                {median:F0}	{sorted[0]:F0}	{sorted[^1]:F0}	{string.Join(',', times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture)))}

                """);
            Console.Write(text);
            if (arguments.Has("output"))
            {
                await File.WriteAllTextAsync(arguments.Text("output", ""), text).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

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

    private static async Task<List<double>> MeasureAsync(string chromium, string html, int repeats)
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
            var times = new List<double>();
            var url = new Uri(html).AbsoluteUri;
            for (var i = 0; i < repeats; i++)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } }).ConfigureAwait(false);
                await using (context.ConfigureAwait(false))
                {
                    var page = await context.NewPageAsync().ConfigureAwait(false);
                    await page.GotoAsync(url).ConfigureAwait(false);
                    await page.WaitForFunctionAsync("() => window.hpctuneReport && window.hpctuneReport.ready", null, new PageWaitForFunctionOptions { Timeout = 120_000 }).ConfigureAwait(false);
                    times.Add(await page.EvaluateAsync<double>("() => window.hpctuneReport.ms").ConfigureAwait(false));
                }
            }

            return times;
        }
    }
}
