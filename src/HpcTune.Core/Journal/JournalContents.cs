using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Journal;

/// <summary>What a journal holds, replayed: the study, its events and state, and the runs that wrote it.</summary>
public sealed class JournalContents
{
    internal JournalContents(StudyState state, IReadOnlyList<StudyEvent> events, IReadOnlyList<RunInfo> runs, JournalEnd end, string? tailWarning)
    {
        State = state;
        Events = events;
        Runs = runs;
        End = end;
        TailWarning = tailWarning;
    }

    /// <summary>The study as recorded, with its latest observation budget.</summary>
    public StudyDefinition Definition => State.Definition;

    /// <summary>The study replayed from every complete record.</summary>
    public StudyState State { get; }

    /// <summary>The study events in journal order.</summary>
    public IReadOnlyList<StudyEvent> Events { get; }

    /// <summary>Every master start recorded, oldest first.</summary>
    public IReadOnlyList<RunInfo> Runs { get; }

    /// <summary>Bytes of complete, valid records from the start of the file.</summary>
    public long ValidLength => End.Length;

    /// <summary>Records that replayed: how many, the last one's checksum, the format version — where the writer goes on.</summary>
    internal JournalEnd End { get; }

    /// <summary>Set when a torn tail was dropped: what and where.</summary>
    public string? TailWarning { get; }
}
