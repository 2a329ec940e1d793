using System.Diagnostics;
using System.Globalization;
using HpcTune.Tuning;
using Spectre.Console;

namespace HpcTune.Cli.Display;

/// <summary>
/// A live Spectre.Console display for a person at a terminal, redrawn in place: a bar with done/budget, the running
/// and failed trials, the best so far, the recent completion rate and the time left at that rate (ETA). Plain text
/// lines, so a narrow terminal wraps them rather than cutting them off.
/// </summary>
internal sealed class LiveProgressDisplay : IProgressDisplay
{
    private const int BarWidth = 20;

    public async Task<StudySummary> RunAsync(Tuner tuner, Func<Task<StudySummary>> run)
    {
        var clock = Stopwatch.StartNew();
        var rate = new CompletionRate();
        StudySummary? summary = null;
        await AnsiConsole.Live(Render(tuner, clock, rate))
            .AutoClear(false)
            .StartAsync(async context =>
            {
                var running = run();
                while (!running.IsCompleted)
                {
                    var changed = tuner.WaitForChangeAsync();
                    await Task.WhenAny(running, Task.WhenAll(changed, Task.Delay(100))).ConfigureAwait(false); // redraw at most 10 times a second
                    context.UpdateTarget(Render(tuner, clock, rate));
                }

                summary = await running.ConfigureAwait(false);
                context.UpdateTarget(Render(tuner, clock, rate));
            }).ConfigureAwait(false);
        return summary!;
    }

    private static Rows Render(Tuner tuner, Stopwatch clock, CompletionRate rate)
    {
        var p = tuner.Progress;
        rate.Record(clock.Elapsed, p.Completed);
        var best = tuner.Best;
        var metric = tuner.Definition.Objective.Name;
        var filled = p.Budget > 0 ? Math.Clamp(p.Completed * BarWidth / p.Budget, 0, BarWidth) : 0;
        var bar = $"[{new string('#', filled)}{new string('.', BarWidth - filled)}]";
        var bestText = best is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{best.Values![metric]:G6} (trial {best.Id})");
        var perSecond = rate.PerSecond is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:F2}/s") : "-";
        var eta = rate.TimeLeft(p.Budget - p.Completed) is { } left ? EtaText(left) : "-";
        return new Rows(
            new Text($"{bar} done {p.Completed}/{p.Budget}  running {p.Open}  failed {p.Failed}  elapsed {EtaText(clock.Elapsed)}"),
            new Text($"best {metric} {bestText}  rate {perSecond}  ETA {eta}"));
    }

    private static string EtaText(TimeSpan span) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)span.TotalHours}:{span:mm\\:ss}");
}
