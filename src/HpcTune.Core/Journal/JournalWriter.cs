using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Journal;

/// <summary>
/// Appends framed records to the journal. By default each record is synced to stable storage (fsync) before
/// Append returns, so an event the tuner acknowledged survives any crash. A master that batches (MPI) turns
/// <see cref="SyncEachRecord"/> off and calls <see cref="Commit"/> once per batch, before it answers anyone
/// (group commit); the writer still syncs by itself once <see cref="AutoSyncBytes"/> are pending, which bounds
/// what a crash can tear (<see cref="JournalFormat.TailWindow"/>). The master is its only writer.
/// </summary>
public sealed class JournalWriter : IStudyEventSink, IDisposable
{
    /// <summary>Unsynced bytes after which the writer syncs even in batch mode.</summary>
    public const int AutoSyncBytes = 512 * 1024;

    private readonly FileStream _stream;
    private readonly bool _sync;
    private long _unsynced;
    private JournalEnd _end;

    /// <summary>
    /// Opens <paramref name="path"/> for appending after <paramref name="end"/> (a torn tail is cut off); records
    /// continue its numbering and format version (a version 1 journal stays version 1).
    /// </summary>
    internal JournalWriter(string path, JournalEnd end, bool sync = true)
    {
        _end = end;
        var validLength = end.Length;
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.None);
        if (_stream.Length != validLength)
        {
            _stream.SetLength(validLength);
            _stream.Flush(flushToDisk: true);
        }

        _stream.Seek(validLength, SeekOrigin.Begin);
        _sync = sync;
    }

    /// <summary>True (default): fsync after every record. False: fsync in <see cref="Commit"/> (and at <see cref="AutoSyncBytes"/>).</summary>
    public bool SyncEachRecord { get; set; } = true;

    /// <summary>Syncs every record written since the last sync; cheap when there is none.</summary>
    public void Commit()
    {
        if (_unsynced > 0)
        {
            _stream.Flush(flushToDisk: _sync);
            _unsynced = 0;
        }
    }

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Position;

    /// <summary>Where the journal ends after the last record written whole.</summary>
    internal JournalEnd End => _end;

    /// <inheritdoc/>
    public void Append(StudyEvent studyEvent) => Write(JournalRecordCodec.EncodeEvent(studyEvent));

    /// <summary>Writes the study record (the first record of every journal).</summary>
    internal void AppendStudy(StudyDefinition definition, DateTimeOffset time) => Write(JournalRecordCodec.EncodeStudy(definition, time));

    /// <summary>Records the start of a master.</summary>
    public void AppendRun(RunInfo run) => Write(JournalRecordCodec.EncodeRun(run ?? throw new ArgumentNullException(nameof(run))));

    private void Write(byte[] payload)
    {
        var record = JournalFormat.Frame(payload, _end.Version, _end.Records, _end.LastChecksum);
        var before = _stream.Position;
        try
        {
            _stream.Write(record);
            _unsynced += record.Length;
            if (SyncEachRecord || _unsynced >= AutoSyncBytes)
            {
                _stream.Flush(flushToDisk: _sync);
                _unsynced = 0;
            }
            else
            {
                _stream.Flush(flushToDisk: false); // into the page cache, so status and export see it
            }

            _end = new JournalEnd(_end.Length + record.Length, _end.Version, _end.Records + 1, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(record.AsSpan(12)));
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
    public void Dispose()
    {
        Commit();
        _stream.Dispose();
    }
}
