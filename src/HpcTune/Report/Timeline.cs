using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Report;

/// <summary>
/// The HPC view: every attempt of every trial as a bar on its worker's row, from the time the master handed it out
/// (the journal records no separate start: a worker begins as soon as it receives a trial) to the time its result,
/// failure, interruption or pruning was journaled; and each worker's busy share of the time the study ran.
/// </summary>
internal sealed class Timeline
{
    private readonly List<Attempt> _attempts = [];
    private readonly List<(DateTimeOffset Start, DateTimeOffset End)> _running = [];
    private DateTimeOffset _last;

    private sealed record Attempt(int Trial, int Worker, DateTimeOffset Start)
    {
        public DateTimeOffset? End { get; set; }

        public TrialState Outcome { get; set; } = TrialState.Open;
    }

    /// <summary>Replays <paramref name="contents"/>' events into attempts.</summary>
    public static Timeline From(JournalContents contents, IReadOnlyDictionary<long, int> index, WorkerNames workers)
    {
        var timeline = new Timeline();
        var open = new Dictionary<long, Attempt>();
        foreach (var e in contents.Events)
        {
            timeline._last = e.Time > timeline._last ? e.Time : timeline._last;
            switch (e)
            {
                case TrialCreated created:
                    timeline.Begin(open, index, created.TrialId, workers.IndexOf(created.Worker), created.Time);
                    break;
                case TrialReissued reissued:
                    timeline.Begin(open, index, reissued.TrialId, workers.IndexOf(reissued.Worker), reissued.Time);
                    break;
                case TrialObserved observed:
                    End(open, observed.TrialId, observed.Time, TrialState.Completed);
                    break;
                case TrialFailed failed:
                    End(open, failed.TrialId, failed.Time, TrialState.Failed);
                    break;
                case TrialInterrupted interrupted:
                    End(open, interrupted.TrialId, interrupted.Time, TrialState.Interrupted);
                    break;
                case TrialPruned pruned:
                    End(open, pruned.TrialId, pruned.Time, TrialState.Pruned);
                    break;
                case TrialDeleted deleted:
                    End(open, deleted.TrialId, deleted.Time, TrialState.Deleted);
                    break;
                default:
                    break; // reports, inserted trials (not on any worker), budget changes
            }
        }

        timeline.FindRunningTime(contents);
        return timeline;
    }

    private void Begin(Dictionary<long, Attempt> open, IReadOnlyDictionary<long, int> index, long trialId, int worker, DateTimeOffset time)
    {
        if (!index.TryGetValue(trialId, out var trial))
        {
            return;
        }

        var attempt = new Attempt(trial, worker, time);
        open[trialId] = attempt;
        _attempts.Add(attempt);
    }

    private static void End(Dictionary<long, Attempt> open, long trialId, DateTimeOffset time, TrialState outcome)
    {
        if (open.Remove(trialId, out var attempt))
        {
            attempt.End = time;
            attempt.Outcome = outcome;
        }
    }

    /// <summary>
    /// The time the study ran: from each master start to the last event before the next one (a killed master's
    /// downtime is not idle time of its workers); from the first to the last event where no run is recorded.
    /// </summary>
    private void FindRunningTime(JournalContents contents)
    {
        var times = contents.Events.Select(e => e.Time).Order().ToArray();
        if (times.Length == 0)
        {
            return;
        }

        var starts = contents.Runs.Select(r => r.Time).Order().ToList();
        if (starts.Count == 0 || starts[0] > times[0])
        {
            starts.Insert(0, times[0]);
        }

        for (var i = 0; i < starts.Count; i++)
        {
            var next = i + 1 < starts.Count ? starts[i + 1] : DateTimeOffset.MaxValue;
            var end = times.Where(t => t >= starts[i] && t < next).DefaultIfEmpty(starts[i]).Max();
            _running.Add((starts[i], end));
        }
    }

    /// <summary>
    /// Writes <c>timeline</c>: column arrays <c>trial</c> (index), <c>worker</c>, <c>start</c>, <c>end</c>,
    /// <c>outcome</c> (a state code; open attempts end at the last event), the running intervals and <c>busy</c>,
    /// each worker's share of the running time spent holding a trial.
    /// </summary>
    public void Write(Utf8JsonWriter w, DateTimeOffset t0, int workers)
    {
        w.WriteStartObject("timeline");
        Column(w, "trial", a => w.WriteNumberValue(a.Trial));
        Column(w, "worker", a => w.WriteNumberValue(a.Worker));
        Column(w, "start", a => w.WriteNumberValue(ReportData.Seconds(a.Start, t0)));
        Column(w, "end", a => w.WriteNumberValue(ReportData.Seconds(a.End ?? _last, t0)));
        Column(w, "outcome", a => w.WriteNumberValue(Array.IndexOf(ReportData.States, a.Outcome)));
        w.WriteStartArray("running");
        foreach (var (start, end) in _running)
        {
            w.WriteStartArray();
            w.WriteNumberValue(ReportData.Seconds(start, t0));
            w.WriteNumberValue(ReportData.Seconds(end, t0));
            w.WriteEndArray();
        }

        w.WriteEndArray();
        var running = _running.Sum(r => (r.End - r.Start).TotalSeconds);
        w.WriteNumber("running_seconds", Math.Round(running, 3));
        w.WriteStartArray("busy");
        var busy = new double[workers];
        foreach (var attempt in _attempts)
        {
            busy[attempt.Worker] += ((attempt.End ?? _last) - attempt.Start).TotalSeconds;
        }

        foreach (var seconds in busy)
        {
            w.WriteNumberValue(running > 0 ? Math.Round(Math.Min(1, seconds / running), 4) : 0);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void Column(Utf8JsonWriter w, string name, Action<Attempt> write)
    {
        w.WriteStartArray(name);
        foreach (var attempt in _attempts)
        {
            write(attempt);
        }

        w.WriteEndArray();
    }
}
