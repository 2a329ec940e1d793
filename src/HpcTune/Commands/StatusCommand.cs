using System.CommandLine;
using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Cli.Commands;

/// <summary><c>status</c>: where a study stands, read from its journal without disturbing a running master.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("status", """
            Show a study's progress: start, finish, duration, trials per hour, trials per state and per worker
            (MPI rank, thread or network worker), the best trial (the Pareto front with several objectives), pruned
            trials and intermediate reports. Safe while a master is running.

            Example:
              HpcTune status --checkpoint ckpt --json
            """)
        {
            checkpoint, json,
        };
        command.SetAction((parse, _) => CliErrors.Guard(() =>
        {
            var contents = Checkpoint.Read(parse.GetValue(checkpoint)!.FullName);
            var stats = StatusStats.Of(contents, DateTimeOffset.UtcNow);
            Console.Out.Write(parse.GetValue(json) ? AsJson(contents, stats) : AsText(contents, stats));
            return Task.FromResult(ExitCodes.Done);
        }));
        return command;
    }

    private static string AsText(JournalContents contents, StatusStats stats)
    {
        var state = contents.State;
        var p = state.Progress;
        var definition = state.Definition;
        var lines = new List<string>
        {
            $"study '{definition.Name}': {p.Status.ToString().ToLowerInvariant()}",
            $"  completed {p.Completed}/{p.Budget}, failed {p.Failed} (max {definition.MaxFailures}), open {p.Open}, interrupted {p.Interrupted}, trials {state.Trials.Count}",
            $"  algorithm {definition.Algorithm.Name}, seed {definition.Algorithm.Seed}, parallel bandwidth {definition.ParallelBandwidth}",
        };
        lines.AddRange(stats.Lines());
        if (state.Best is { } best && !definition.IsMultiObjective)
        {
            var metric = definition.Objective.Name;
            lines.Add($"  best trial {best.Id}: {metric} = {best.Values![metric]:G10} ({best.Assignment})");
        }

        lines.AddRange(StatusModel.Lines(state));
        if (contents.Runs.Count > 0 && contents.Runs[^1] is var run)
        {
            lines.Add($"  runs {contents.Runs.Count}, last started {run.Time:u} by pid {run.ProcessId} on {run.Host} ({run.Objective})");
        }

        if (contents.TailWarning is { } warning)
        {
            lines.Add($"  note: {warning}");
        }

        return string.Join('\n', lines) + "\n";
    }

    private static string AsJson(JournalContents contents, StatusStats stats)
    {
        var state = contents.State;
        var p = state.Progress;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("name", state.Definition.Name);
            w.WriteString("status", p.Status.ToString().ToLowerInvariant());
            w.WriteNumber("observation_budget", p.Budget);
            w.WriteNumber("completed", p.Completed);
            w.WriteNumber("failed", p.Failed);
            w.WriteNumber("open", p.Open);
            w.WriteNumber("interrupted", p.Interrupted);
            w.WriteNumber("trials", state.Trials.Count);
            w.WriteNumber("runs", contents.Runs.Count);
            stats.Write(w);
            StatusModel.Write(w, state);
            if (state.Best is { } best)
            {
                w.WritePropertyName("best");
                TrialJson.Write(w, best);
            }
            else
            {
                w.WriteNull("best");
            }

            w.WriteStartArray("pareto_front_trials");
            foreach (var trial in state.Definition.IsMultiObjective ? state.ParetoFront : [])
            {
                TrialJson.Write(w, trial);
            }

            w.WriteEndArray();

            if (contents.TailWarning is { } warning)
            {
                w.WriteString("warning", warning);
            }

            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
