namespace HpcTune.Tuning;

/// <summary>
/// Receives every study event before the tuner applies it and answers the caller; a journal makes it durable
/// there. Called under the tuner's lock, one event at a time, in order. If it throws, the event is not applied.
/// </summary>
public interface IStudyEventSink
{
    /// <summary>Records <paramref name="studyEvent"/>; returns only when it is as durable as the sink promises.</summary>
    void Append(StudyEvent studyEvent);
}
