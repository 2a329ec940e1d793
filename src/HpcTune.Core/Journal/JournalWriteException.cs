namespace HpcTune.Journal;

/// <summary>
/// The journal could not be written or synced (disk full, a read-only or failing file system). The record that failed
/// is not in the journal and was not acknowledged; every earlier record is. The writer refuses every later record, so
/// the master stops; <c>resume</c> continues once the cause is fixed.
/// </summary>
public sealed class JournalWriteException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>, whose write failed with <paramref name="cause"/>.</summary>
    public JournalWriteException(string path, Exception cause)
        : base($"journal write failed: {Describe(cause)} ({path})", cause)
    {
        Path = path;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>The operating system's words for the error, without the path .NET appends (" : 'PATH'").</summary>
    private static string Describe(Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        var message = cause.Message;
        var quoted = message.IndexOf(" : '", StringComparison.Ordinal);
        return quoted > 0 ? message[..quoted] : message;
    }
}
