using HpcTune.Space;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;

namespace HpcTune.Journal;

/// <summary>
/// What repair adds so that intact records after a lost one still replay (docs/journal.md, "Repair"): a trial whose
/// records were lost would otherwise make every later trial contradict the study (trial numbers run on; a worker
/// holds one trial at a time), and repair would have to drop results that are intact and acknowledged.
/// </summary>
internal static class JournalRepairBridge
{
    /// <summary>The worker name of placeholder trials.</summary>
    public const string Worker = "journal-repair";

    /// <summary>
    /// Events that let <paramref name="record"/> apply to <paramref name="state"/>, with a line for the report; none when
    /// nothing can bridge it. A lost creation becomes a deleted placeholder (at most <paramref name="lostRecords"/>
    /// of them in all: each needs a lost record); a trial still open on a worker that starts another one lost its
    /// result, and becomes interrupted, so resume runs it again.
    /// </summary>
    public static bool TryBridge(StudyState state, object record, ref long lostRecords, out List<StudyEvent> events, out string line)
    {
        events = [];
        line = "";
        var next = state.Trials.Count + 1;
        switch (record)
        {
            case TrialCreated c when c.TrialId > next && c.TrialId - next <= lostRecords:
                for (var id = next; id < c.TrialId; id++)
                {
                    events.Add(new TrialCreated(id, Placeholder(state.Definition.Space), Worker, c.Time));
                    events.Add(new TrialDeleted(id, c.Time));
                }

                lostRecords -= c.TrialId - next;
                line = $"added: {(c.TrialId - next == 1 ? $"trial {next}" : $"trials {next} to {c.TrialId - 1}")} as deleted placeholders (worker '{Worker}'): the records that created them were lost, so their parameters are unknown; later trials keep their numbers";
                return true;
            case TrialCreated c when c.TrialId == next && HeldBy(state, c.Worker) is { } held:
                return Interrupt(held, c.Time, events, out line);
            case TrialReissued r when HeldBy(state, r.Worker) is { } held && held.Id != r.TrialId:
                return Interrupt(held, r.Time, events, out line);
            default:
                return false;
        }
    }

    private static bool Interrupt(Trial held, DateTimeOffset time, List<StudyEvent> events, out string line)
    {
        events.Add(new TrialInterrupted(held.Id, "its result was lost to journal damage (repair); resume runs it again", time));
        line = $"added: trial {held.Id} interrupted: worker '{held.Worker}' went on to another trial, so the record of its result was lost; resume runs it again";
        return true;
    }

    private static Trial? HeldBy(StudyState state, string worker) =>
        state.Trials.LastOrDefault(t => t.State == TrialState.Open && t.Worker == worker);

    /// <summary>The first value of each switch and the smallest of each parameter active under them: any valid assignment will do for a trial that is deleted.</summary>
    private static Assignment Placeholder(SearchSpace space) =>
        space.CreateAssignment(space.WithoutInactive(space.Conditionals.Select(c => KeyValuePair.Create(c.Name, (Scalar)c.Values[0]))
            .Concat(space.Parameters.Select(p => KeyValuePair.Create(p.Name, p.Type == ParameterType.Categorical ? (Scalar)p.CategoricalValues[0] : (Scalar)p.Min)))
            .ToDictionary(StringComparer.Ordinal)));
}
