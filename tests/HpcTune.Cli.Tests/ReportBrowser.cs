using Microsoft.Playwright;

namespace HpcTune.Cli.Tests;

/// <summary>
/// The report's browser tests run alone: a test that kills a process it recorded earlier could, once the pid was
/// reused (pid_max is 32,768 here), hit Playwright's driver; and the tests in parallel would starve the page's drawing.
/// </summary>
[CollectionDefinition("browser", DisableParallelization = true)]
public sealed class BrowserTestsRunAlone;

/// <summary>
/// Debian's headless Chromium driven by Playwright, one per test class. Playwright launches the installed browser
/// (<see cref="Executable"/>) and never downloads one; each report opens in a fresh context.
/// </summary>
public sealed class ReportBrowser : IAsyncLifetime
{
    public const string Executable = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: apt-get install chromium (.ci/packages.txt)");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            // Playwright gives the browser a new empty profile itself; these keep it from reaching out on its own.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    /// <summary>What a report did in the browser: the console errors, the requests it made, and each chart.</summary>
    public sealed record Opened(IPage Page, IBrowserContext Context, List<string> Errors, List<string> Requests, IReadOnlyList<Chart> Charts) : IAsyncDisposable
    {
        public IEnumerable<string> ChartIds => Charts.Select(c => c.Id);

        public ValueTask DisposeAsync() => Context.DisposeAsync();
    }

    /// <summary>
    /// A chart container: its id, whether ECharts reported it drawn, how many data points its series hold (a 'lines'
    /// series in ECharts' flat form, a typed array of point count, x, y, ... per line, counts its lines; a scatter
    /// series whose points are a typed array counts them by its dimensions).
    /// </summary>
    public sealed class Chart
    {
        public string Id { get; set; } = "";

        public bool Drawn { get; set; }

        public int Points { get; set; }
    }

    /// <summary>The longest any one step in the browser may take before the test fails instead of waiting on.</summary>
    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <paramref name="step"/> within <see cref="StepLimit"/>: a browser (or Playwright's driver) that went away leaves
    /// Playwright's calls unanswered, and that must fail the test, not hang the CI run.
    /// </summary>
    public async Task<T> Bounded<T>(Task<T> step, string what)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return await step.WaitAsync(StepLimit);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{what}: no answer from the browser in {StepLimit.TotalSeconds} s (connected: {Browser.IsConnected})", e);
        }
    }

    /// <summary>
    /// Opens <paramref name="html"/> from disk, fails every request but the file itself, and waits until the page says
    /// every chart has drawn.
    /// </summary>
    public Task<Opened> OpenAsync(string html) => Bounded(OpenUnboundedAsync(html), $"opening {html}");

    private async Task<Opened> OpenUnboundedAsync(string html)
    {
        var url = new Uri(html).AbsoluteUri;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, ServiceWorkers = ServiceWorkerPolicy.Block });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                lock (errors)
                {
                    errors.Add($"console {message.Type}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add($"page error: {error}");
            }
        };
        page.Request += (_, request) =>
        {
            lock (requests)
            {
                requests.Add(request.Url);
            }
        };
        await context.RouteAsync("**/*", route => route.Request.Url == url ? route.ContinueAsync() : route.AbortAsync());
        await page.GotoAsync(url);
        await page.WaitForFunctionAsync("() => window.hpctuneReport && window.hpctuneReport.ready", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
        var charts = await page.Locator("[data-chart]").EvaluateAllAsync<Chart[]>("""
            boxes => boxes.map(box => {
              const chart = echarts.getInstanceByDom(box);
              const series = chart ? chart.getOption().series : [];
              const lines = flat => { let n = 0; for (let k = 0; k < flat.length; k += 1 + 2 * flat[k]) n++; return n; };
              const count = s => !s.data ? 0 : !ArrayBuffer.isView(s.data) ? s.data.length : s.type === "lines" ? lines(s.data) : s.data.length / s.dimensions.length;
              return { Id: box.dataset.chart, Drawn: box.dataset.drawn === "true", Points: series.reduce((n, s) => n + count(s), 0) };
            })
            """);
        return new Opened(page, context, errors, requests, charts);
    }

    /// <summary>A screenshot of the chart <paramref name="id"/>'s box.</summary>
    internal async Task<PngPixels> ScreenshotAsync(Opened opened, string id)
    {
        ArgumentNullException.ThrowIfNull(opened);
        var bytes = await Bounded(opened.Page.Locator($"[data-chart=\"{id}\"]").ScreenshotAsync(), $"a screenshot of chart {id}");
        return PngPixels.Decode(bytes);
    }
}
