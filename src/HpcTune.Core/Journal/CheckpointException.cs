namespace HpcTune.Journal;

/// <summary>
/// A checkpoint directory cannot be used as asked: it is locked by another master, it holds no study, it
/// already holds one, or the study given does not match the one recorded. The message says what to do.
/// </summary>
public sealed class CheckpointException(string message) : Exception(message);
