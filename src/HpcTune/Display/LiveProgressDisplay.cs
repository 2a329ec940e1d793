using System.Diagnostics;
using HpcTune.Tuning;
using Spectre.Console;

namespace HpcTune.Cli.Display;

/// <summary>A live Spectre.Console panel: done/budget, failures, open, best so far, rate.</summary>
internal sealed class LiveProgressDisplay : IProgressDisplay
{
    public async Task<StudySummary> RunAsync(Tuner tuner, Func<Task<StudySummary>> run)
    {
        var clock = Stopwatch.StartNew();
        StudySummary? summary = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var definition = tuner.Definition;
                var task = context.AddTask(Describe(tuner, clock), maxValue: definition.ObservationBudget);
                var running = run();
                while (!running.IsCompleted)
                {
                    var changed = tuner.WaitForChangeAsync();
                    await Task.WhenAny(running, Task.WhenAll(changed, Task.Delay(100))).ConfigureAwait(false); // redraw at most 10 times a second
                    task.Value = tuner.Progress.Completed;
                    task.Description = Describe(tuner, clock);
                }

                summary = await running.ConfigureAwait(false);
                task.Value = summary.Progress.Completed;
                task.Description = Describe(tuner, clock);
            }).ConfigureAwait(false);
        return summary!;
    }

    private static string Describe(Tuner tuner, Stopwatch clock)
    {
        var p = tuner.Progress;
        var best = tuner.Best;
        var metric = tuner.Definition.Objective.Name;
        var rate = p.Completed / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
        var bestText = best is null ? "-" : $"{best.Values![metric]:G6}";
        return Markup.Escape($"done {p.Completed}/{p.Budget}  failed {p.Failed}  open {p.Open}  best {metric} {bestText}  {rate:F1}/s");
    }
}
