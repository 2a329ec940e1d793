using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Report;

/// <summary>
/// The study as the report's script reads it: one JSON object of column arrays (a trial is an index into them, not
/// an object per point, which keeps a 10,000-trial report small and quick to parse). Times are seconds after
/// <c>t0</c>, the journal's first event. The layout is described in docs/report.md.
/// </summary>
internal static class ReportData
{
    /// <summary>Trial states in the order of their codes in <c>trials.state</c> and <c>timeline.outcome</c>.</summary>
    public static readonly TrialState[] States = Enum.GetValues<TrialState>();

    /// <summary>
    /// Writes <paramref name="contents"/> as JSON. The writer's default encoder escapes <c>&lt;</c>, <c>&gt;</c> and
    /// <c>&amp;</c> in every string (<c>\u003C</c>), so a name or value holding <c>&lt;/script&gt;</c> cannot end
    /// the script block the JSON is put in.
    /// </summary>
    public static byte[] ToJson(JournalContents contents, DateTimeOffset generated)
    {
        var state = contents.State;
        var definition = state.Definition;
        var trials = state.Trials;
        var t0 = Origin(contents);
        var index = new Dictionary<long, int>(trials.Count);
        for (var i = 0; i < trials.Count; i++)
        {
            index[trials[i].Id] = i;
        }

        var workers = new WorkerNames();
        var timeline = Timeline.From(contents, index, workers);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            WriteStudy(w, contents, generated, t0);
            WriteMetrics(w, definition);
            var parameters = ReportParameters.Of(definition, trials);
            ReportParameters.WriteDefinitions(w, parameters);
            w.WriteStartArray("states");
            foreach (var s in States)
            {
                w.WriteStringValue(s.ToString().ToLowerInvariant());
            }

            w.WriteEndArray();
            WriteTrials(w, state, parameters, workers, t0);
            WriteReports(w, trials, definition);
            WriteLineage(w, trials, index);
            timeline.Write(w, t0, workers.Names.Count);
            w.WriteStartArray("workers");
            foreach (var name in workers.Names)
            {
                w.WriteStringValue(name);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Time zero of the report: the first event, else the first run, else the first trial.</summary>
    private static DateTimeOffset Origin(JournalContents contents)
    {
        var first = contents.Events.Count > 0 ? contents.Events.Min(e => e.Time) : DateTimeOffset.MaxValue;
        if (contents.Runs.Count > 0 && contents.Runs[0].Time < first)
        {
            first = contents.Runs[0].Time;
        }

        var trials = contents.State.Trials;
        return first != DateTimeOffset.MaxValue ? first : trials.Count > 0 ? trials[0].CreatedAt : DateTimeOffset.UnixEpoch;
    }

    /// <summary>Seconds from <paramref name="t0"/>, to the millisecond: the journal's precision is finer than any chart's.</summary>
    public static double Seconds(DateTimeOffset time, DateTimeOffset t0) => Math.Round((time - t0).TotalSeconds, 3);

    private static void WriteStudy(Utf8JsonWriter w, JournalContents contents, DateTimeOffset generated, DateTimeOffset t0)
    {
        var state = contents.State;
        var definition = state.Definition;
        var progress = state.Progress;
        w.WriteStartObject("study");
        w.WriteString("name", definition.Name);
        w.WriteString("status", progress.Status.ToString().ToLowerInvariant());
        w.WriteString("algorithm", definition.Algorithm.Name);
        w.WriteString("early_stopping", definition.EarlyStopping?.Name);
        w.WriteNumber("budget", progress.Budget);
        w.WriteNumber("completed", progress.Completed);
        w.WriteNumber("failed", progress.Failed);
        w.WriteNumber("pruned", state.PrunedCount);
        w.WriteNumber("open", progress.Open);
        w.WriteNumber("interrupted", progress.Interrupted);
        w.WriteNumber("t0", t0.ToUnixTimeMilliseconds());
        w.WriteString("generated", generated);
        w.WriteString("warning", contents.TailWarning);
        w.WriteStartArray("runs");
        foreach (var run in contents.Runs)
        {
            w.WriteStartObject();
            w.WriteNumber("time", Seconds(run.Time, t0));
            w.WriteString("host", run.Host);
            w.WriteString("objective", run.Objective);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter w, StudyDefinition definition)
    {
        w.WriteStartArray("metrics");
        foreach (var metric in definition.Metrics)
        {
            w.WriteStartObject();
            w.WriteString("name", metric.Name);
            w.WriteString("direction", metric.Objective.ToString().ToLowerInvariant());
            w.WriteString("strategy", metric.Strategy.ToString().ToLowerInvariant());
            if (metric.Threshold is { } threshold)
            {
                w.WriteNumber("threshold", threshold);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("objectives");
        foreach (var objective in definition.Objectives)
        {
            w.WriteNumberValue(IndexOf(definition.Metrics, objective));
        }

        w.WriteEndArray();
    }

    private static int IndexOf(IReadOnlyList<MetricDefinition> metrics, MetricDefinition metric)
    {
        for (var i = 0; i < metrics.Count; i++)
        {
            if (metrics[i].Name == metric.Name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"objective {metric.Name} is not among the metrics");
    }

    private static void WriteTrials(Utf8JsonWriter w, StudyState state, ReportParameters parameters, WorkerNames workers, DateTimeOffset t0)
    {
        var trials = state.Trials;
        var metrics = state.Definition.Metrics;
        var front = state.ParetoFront.Select(t => t.Id).ToHashSet();
        w.WriteStartObject("trials");
        WriteColumn(w, "id", trials, t => w.WriteNumberValue(t.Id));
        WriteColumn(w, "state", trials, t => w.WriteNumberValue(Array.IndexOf(States, t.State)));
        WriteColumn(w, "worker", trials, t => w.WriteNumberValue(workers.IndexOf(t.Worker)));
        WriteColumn(w, "created", trials, t => w.WriteNumberValue(Seconds(t.CreatedAt, t0)));
        WriteColumn(w, "finished", trials, t =>
        {
            if (t.FinishedAt is { } finished)
            {
                w.WriteNumberValue(Seconds(finished, t0));
            }
            else
            {
                w.WriteNullValue();
            }
        });
        WriteColumn(w, "feasible", trials, t => w.WriteBooleanValue(t.Values is not null && state.IsFeasible(t)));
        WriteColumn(w, "pareto", trials, t => w.WriteBooleanValue(front.Contains(t.Id)));
        w.WriteStartArray("values");
        foreach (var metric in metrics)
        {
            WriteColumn(w, null, trials, t =>
            {
                if (t.Values is not null && t.Values.TryGetValue(metric.Name, out var value))
                {
                    w.WriteNumberValue(value);
                }
                else
                {
                    w.WriteNullValue();
                }
            });
        }

        w.WriteEndArray();
        parameters.WriteColumns(w, trials);
        w.WriteEndObject();
    }

    /// <summary>Writes one value per trial as an array, named when <paramref name="name"/> is given.</summary>
    public static void WriteColumn(Utf8JsonWriter w, string? name, IReadOnlyList<Trial> trials, Action<Trial> write)
    {
        if (name is null)
        {
            w.WriteStartArray();
        }
        else
        {
            w.WriteStartArray(name);
        }

        foreach (var trial in trials)
        {
            write(trial);
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// The intermediate reports of the trials that made any: <c>[trial index, [steps], [[values of metric 0], ...]]</c>,
    /// a metric's value null at a step that did not report it.
    /// </summary>
    private static void WriteReports(Utf8JsonWriter w, IReadOnlyList<Trial> trials, StudyDefinition definition)
    {
        w.WriteStartArray("reports");
        for (var i = 0; i < trials.Count; i++)
        {
            var reports = trials[i].Reports;
            if (reports.Count == 0)
            {
                continue;
            }

            w.WriteStartArray();
            w.WriteNumberValue(i);
            w.WriteStartArray();
            foreach (var report in reports)
            {
                w.WriteNumberValue(report.Step);
            }

            w.WriteEndArray();
            w.WriteStartArray();
            foreach (var metric in definition.Metrics)
            {
                w.WriteStartArray();
                foreach (var report in reports)
                {
                    if (report.Values.TryGetValue(metric.Name, out var value))
                    {
                        w.WriteNumberValue(value);
                    }
                    else
                    {
                        w.WriteNullValue();
                    }
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
            w.WriteEndArray();
        }

        w.WriteEndArray();
    }

    /// <summary>
    /// Population lineage, or null when no trial has a generation: per trial its member, generation and parent's
    /// trial index (null where unknown or outside the journal).
    /// </summary>
    private static void WriteLineage(Utf8JsonWriter w, IReadOnlyList<Trial> trials, Dictionary<long, int> index)
    {
        if (!trials.Any(t => t.Lineage?.Generation is not null))
        {
            w.WriteNull("lineage");
            return;
        }

        w.WriteStartObject("lineage");
        WriteColumn(w, "member", trials, t => WriteOptional(w, t.Lineage?.Member));
        WriteColumn(w, "generation", trials, t => WriteOptional(w, t.Lineage?.Generation));
        WriteColumn(w, "parent", trials, t => WriteOptional(w, t.Lineage?.ParentTrialId is { } parent && index.TryGetValue(parent, out var at) ? at : null));
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumberValue(v);
        }
        else
        {
            w.WriteNullValue();
        }
    }
}
