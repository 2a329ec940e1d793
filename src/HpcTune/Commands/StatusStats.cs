using System.Globalization;
using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Commands;

/// <summary>
/// The Orion-style statistics of <c>status</c>: when the study started and finished, how long it took, how many
/// trials ended per hour, and the trials per state and per worker (MPI rank, thread or network worker).
/// </summary>
/// <param name="Start">The first run's start, or the first trial's creation if that is earlier.</param>
/// <param name="Finish">When the last trial of a finished (or broken) study ended; null while it is not finished.</param>
/// <param name="Duration">From <paramref name="Start"/> to <paramref name="Finish"/>, or to now while not finished.</param>
/// <param name="Ended">Trials that came to an end: completed, failed or pruned (the ones the budget and failure limit count).</param>
/// <param name="States">Trials per state, every state named, lower case.</param>
/// <param name="Workers">Per worker (in natural order: rank-2 before rank-10): its trials per state.</param>
internal sealed record StatusStats(
    DateTimeOffset? Start,
    DateTimeOffset? Finish,
    TimeSpan Duration,
    int Ended,
    IReadOnlyDictionary<string, int> States,
    IReadOnlyList<(string Worker, IReadOnlyDictionary<string, int> States)> Workers)
{
    private static readonly StringComparer NaturalOrder = StringComparer.Create(CultureInfo.InvariantCulture, CompareOptions.NumericOrdering);

    /// <summary>Trials ended per hour of <see cref="Duration"/>; null before any time has passed.</summary>
    public double? TrialsPerHour => Duration > TimeSpan.Zero ? Ended / Duration.TotalHours : null;

    public static StatusStats Of(JournalContents contents, DateTimeOffset now)
    {
        var state = contents.State;
        var trials = state.Trials;
        DateTimeOffset? start = contents.Runs.Count > 0 ? contents.Runs[0].Time : null;
        if (trials.Count > 0 && (start is null || trials[0].CreatedAt < start))
        {
            start = trials.Min(t => t.CreatedAt);
        }

        DateTimeOffset? finish = state.Progress.Status == StudyStatus.Running ? null : trials.Max(t => t.FinishedAt) ?? start;
        var duration = start is { } from ? (finish ?? now) - from : TimeSpan.Zero;
        var ended = trials.Count(t => t.State is TrialState.Completed or TrialState.Failed or TrialState.Pruned);
        var workers = trials.GroupBy(t => t.Worker)
            .OrderBy(g => g.Key, NaturalOrder)
            .Select(g => (g.Key, (IReadOnlyDictionary<string, int>)Count(g)))
            .ToList();
        return new StatusStats(start, finish, duration < TimeSpan.Zero ? TimeSpan.Zero : duration, ended, Count(trials), workers);
    }

    private static Dictionary<string, int> Count(IEnumerable<Trial> trials)
    {
        var counts = Enum.GetValues<TrialState>().ToDictionary(Name, _ => 0);
        foreach (var trial in trials)
        {
            counts[Name(trial.State)]++;
        }

        return counts;
    }

    private static string Name(TrialState state) => state.ToString().ToLowerInvariant();

    /// <summary>Text lines: times and rate, trials per state, trials per worker.</summary>
    public IEnumerable<string> Lines()
    {
        var finish = Finish is { } f ? $"finish {Time(f)}" : "not finished";
        var rate = TrialsPerHour is { } perHour ? perHour.ToString("F1", CultureInfo.InvariantCulture) : "-";
        yield return $"  start {(Start is { } s ? Time(s) : "-")}, {finish}, duration {DurationText(Duration)}, {rate} trials per hour ({Ended} ended)";
        yield return $"  states: {StatesText(States)}";
        if (Workers.Count > 0)
        {
            yield return $"  workers {Workers.Count}:";
            foreach (var (worker, states) in Workers)
            {
                yield return $"    {worker}: {states.Values.Sum()} trial(s): {StatesText(states)}";
            }
        }
    }

    /// <summary>
    /// The JSON members <c>start</c>, <c>finish</c> (ISO 8601 UTC, or null), <c>duration_seconds</c>,
    /// <c>trials_ended</c>, <c>trials_per_hour</c> (or null), <c>states</c> (state to count) and <c>workers</c>
    /// (each <c>{worker, trials, states}</c>).
    /// </summary>
    public void Write(Utf8JsonWriter w)
    {
        WriteTime(w, "start", Start);
        WriteTime(w, "finish", Finish);
        w.WriteNumber("duration_seconds", Duration.TotalSeconds);
        w.WriteNumber("trials_ended", Ended);
        if (TrialsPerHour is { } perHour)
        {
            w.WriteNumber("trials_per_hour", perHour);
        }
        else
        {
            w.WriteNull("trials_per_hour");
        }

        WriteCounts(w, "states", States);
        w.WriteStartArray("workers");
        foreach (var (worker, states) in Workers)
        {
            w.WriteStartObject();
            w.WriteString("worker", worker);
            w.WriteNumber("trials", states.Values.Sum());
            WriteCounts(w, "states", states);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, t.ToUniversalTime());
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, int> counts)
    {
        w.WriteStartObject(name);
        foreach (var (state, count) in counts)
        {
            w.WriteNumber(state, count);
        }

        w.WriteEndObject();
    }

    private static string StatesText(IReadOnlyDictionary<string, int> counts) =>
        string.Join(", ", counts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}")) is { Length: > 0 } text ? text : "none";

    private static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string DurationText(TimeSpan duration) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours}:{duration:mm\\:ss} ({duration.TotalSeconds:F1} s)");
}
