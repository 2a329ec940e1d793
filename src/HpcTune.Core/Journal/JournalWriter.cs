using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Journal;

/// <summary>
/// Appends framed records to the journal and syncs each one to stable storage (fsync) before returning,
/// so an event the tuner acknowledged survives any crash. The master is its only writer (see <see cref="Checkpoint"/>).
/// </summary>
public sealed class JournalWriter : IStudyEventSink, IDisposable
{
    private readonly FileStream _stream;
    private readonly bool _sync;

    /// <summary>Opens <paramref name="path"/> for appending after its first <paramref name="validLength"/> bytes (a torn tail is cut off).</summary>
    internal JournalWriter(string path, long validLength, bool sync = true)
    {
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.None);
        if (_stream.Length != validLength)
        {
            _stream.SetLength(validLength);
            _stream.Flush(flushToDisk: true);
        }

        _stream.Seek(validLength, SeekOrigin.Begin);
        _sync = sync;
    }

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Position;

    /// <inheritdoc/>
    public void Append(StudyEvent studyEvent) => Write(JournalRecordCodec.EncodeEvent(studyEvent));

    /// <summary>Writes the study record (the first record of every journal).</summary>
    internal void AppendStudy(StudyDefinition definition, DateTimeOffset time) => Write(JournalRecordCodec.EncodeStudy(definition, time));

    /// <summary>Records the start of a master.</summary>
    public void AppendRun(RunInfo run) => Write(JournalRecordCodec.EncodeRun(run ?? throw new ArgumentNullException(nameof(run))));

    private void Write(byte[] payload)
    {
        var record = JournalFormat.Frame(payload);
        var before = _stream.Position;
        try
        {
            _stream.Write(record);
            _stream.Flush(flushToDisk: _sync);
        }
        catch (IOException)
        {
            // A half-written record (disk full) would sit before every later one: cut it off so the journal stays readable.
            _stream.SetLength(before);
            _stream.Seek(before, SeekOrigin.Begin);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
