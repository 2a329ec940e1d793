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
internal sealed class JournalWriter : IStudyEventSink, IDisposable
{
    /// <summary>Unsynced bytes after which the writer syncs even in batch mode.</summary>
    public const int AutoSyncBytes = 512 * 1024;

    private readonly FileStream _stream;
    private readonly bool _sync;
    private readonly string _path;
    private readonly CancellationTokenSource _failed = new();
    private long _unsynced;
    private long _written;
    private JournalEnd _end;

    /// <summary>
    /// Opens <paramref name="path"/> for appending after <paramref name="end"/> (a torn tail is cut off); records
    /// continue its numbering and format version (a version 1 journal stays version 1).
    /// </summary>
    internal JournalWriter(string path, JournalEnd end, bool sync = true)
    {
        _end = end;
        var validLength = end.Length;
        _path = path;
        _stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 1, FileOptions.None);
        if (_stream.Length != validLength)
        {
            _stream.SetLength(validLength);
            _stream.Flush(flushToDisk: true);
        }

        _stream.Seek(validLength, SeekOrigin.Begin);
        _sync = sync;
        _written = validLength;
    }

    /// <summary>True (default): fsync after every record. False: fsync in <see cref="Commit"/> (and at <see cref="AutoSyncBytes"/>).</summary>
    public bool SyncEachRecord { get; set; } = true;

    /// <summary>
    /// Set once a write or sync has failed (<see cref="JournalWriteException"/>): from then on every record is refused,
    /// so nothing is acknowledged that might not be on disk.
    /// </summary>
    public JournalWriteException? Failure { get; private set; }

    /// <summary>Cancelled when <see cref="Failure"/> is set, so a master can stop its workers at once.</summary>
    public CancellationToken Failed => _failed.Token;

    /// <summary>Syncs every record written since the last sync; cheap when there is none.</summary>
    /// <exception cref="JournalWriteException">The sync failed, or an earlier write did.</exception>
    public void Commit()
    {
        ThrowIfFailed();
        if (_unsynced > 0)
        {
            try
            {
                _stream.Flush(flushToDisk: _sync);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Fail(e);
            }

            _unsynced = 0;
        }
    }

    /// <summary>
    /// The journal's length after the last record written whole; readable from any thread (<see cref="GroupCommit"/>
    /// syncs up to it while records go on being written).
    /// </summary>
    internal long Written => Volatile.Read(ref _written);

    /// <summary>Syncs what the journal holds up to now through the file handle, safely beside a concurrent write.</summary>
    /// <exception cref="JournalWriteException">The sync failed (every later record is refused), or an earlier write did.</exception>
    internal void SyncHandle()
    {
        ThrowIfFailed();
        if (!_sync)
        {
            return;
        }

        try
        {
            RandomAccess.FlushToDisk(_stream.SafeFileHandle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Fail(e);
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
        ThrowIfFailed();
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

            _end = new JournalEnd(_end.Length + record.Length, _end.Version, _end.Records + 1, JournalFormat.StoredChecksum(record));
            Volatile.Write(ref _written, _end.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try
            {
                // A half-written record (disk full) would sit before every later one: cut it off so the journal stays readable.
                _stream.SetLength(before);
                _stream.Seek(before, SeekOrigin.Begin);
            }
            catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
            {
                // The file system refuses even that: the partial record stays a torn tail, which the reader drops.
            }

            throw Fail(e);
        }
    }

    private void ThrowIfFailed()
    {
        if (Failure is { } failure)
        {
            throw new JournalWriteException(_path, failure.InnerException!);
        }
    }

    private JournalWriteException Fail(Exception cause)
    {
        Failure = new JournalWriteException(_path, cause);
        // Its callbacks run elsewhere: the failing write may hold the tuner's lock, and a callback stops workers.
        _ = _failed.CancelAsync();
        return Failure;
    }

    /// <inheritdoc/>
    /// <exception cref="JournalWriteException">The last records could not be synced.</exception>
    public void Dispose()
    {
        try
        {
            if (Failure is null)
            {
                Commit();
            }
        }
        finally
        {
            try
            {
                _stream.Dispose();
            }
            catch (Exception e) when (Failure is not null && (e is IOException or UnauthorizedAccessException))
            {
                // Already failed and reported; closing cannot make it worse.
            }
        }
    }
}
