using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Journal;

/// <summary>
/// A checkpoint directory held by its one writer, the master: an exclusive lock (released by the kernel even
/// after <c>kill -9</c>), the journal and its writer. <see cref="Create"/> starts a study, <see cref="Open"/>
/// continues one; <see cref="Read"/> looks without taking the lock (status, export).
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private const string LockFileName = "master.lock";
    private const string OwnerFileName = "master.info";

    /// <summary>EWOULDBLOCK (Linux): the exclusive lock is held by another process; .NET reports the errno as HResult.</summary>
    private const int LockHeld = 11;
    private readonly FileStream _lock;
    private readonly JournalEnd _openedAt;

    private Checkpoint(string directory, FileStream lockFile, JournalWriter writer, StudyState state, string? tailWarning, IReadOnlyList<RunInfo> runs)
    {
        Directory = directory;
        _lock = lockFile;
        Writer = writer;
        _openedAt = writer.End;
        State = state;
        TailWarning = tailWarning;
        Runs = runs;
    }

    /// <summary>The checkpoint directory (full path).</summary>
    public string Directory { get; }

    /// <summary>The journal writer; every event it is given is on disk when Append returns.</summary>
    internal JournalWriter Writer { get; }

    /// <summary>The study as replayed when the checkpoint was opened (then changed by the tuner).</summary>
    public StudyState State { get; }

    /// <summary>Set when a torn tail was dropped on open.</summary>
    public string? TailWarning { get; }

    /// <summary>Earlier master starts on this checkpoint, oldest first.</summary>
    public IReadOnlyList<RunInfo> Runs { get; }

    /// <summary>Path of the journal file in <paramref name="directory"/>.</summary>
    public static string JournalPath(string directory) => Path.Combine(directory, JournalFormat.FileName);

    /// <summary>Starts a new study in <paramref name="directory"/> (created if missing); refuses one that holds a study.</summary>
    public static Checkpoint Create(string directory, StudyDefinition definition, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        directory = Path.GetFullPath(directory);
        definition = definition.WithResolvedSeed();
        var now = (time ?? TimeProvider.System).GetUtcNow();
        RequireRecordSize(definition, now); // before anything is made: a refused study leaves no directory behind
        RefuseFile(directory);
        try
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot create checkpoint directory {directory}: {e.Message}");
        }

        var lockFile = TakeLock(directory);
        try
        {
            var journal = JournalPath(directory);
            if (File.Exists(journal) && new FileInfo(journal).Length > 0)
            {
                throw new CheckpointException($"checkpoint {directory} already holds a study; continue it with 'HpcTune resume --checkpoint {directory}', or choose another directory");
            }

            JournalEndMark.TryDelete(journal); // a mark left by a study whose journal was removed
            var writer = new JournalWriter(journal, JournalEnd.Empty);
            try
            {
                writer.AppendStudy(definition, now);
                DirectorySync.Sync(directory);
            }
            catch (IOException e)
            {
                writer.Dispose();
                throw new CheckpointException($"cannot start a study in {directory}: {e.Message}");
            }

            return new Checkpoint(directory, lockFile, writer, new StudyState(definition), null, []);
        }
        catch
        {
            ReleaseLock(directory, lockFile);
            throw;
        }
    }

    /// <summary>Opens the study in <paramref name="directory"/> to continue it; a torn tail is cut off (see <see cref="TailWarning"/>).</summary>
    public static Checkpoint Open(string directory)
    {
        directory = Path.GetFullPath(directory);
        RequireJournal(directory);
        var lockFile = TakeLock(directory);
        try
        {
            var contents = JournalReader.Read(JournalPath(directory));
            var writer = new JournalWriter(JournalPath(directory), contents.End);
            return new Checkpoint(directory, lockFile, writer, contents.State, contents.TailWarning, contents.Runs);
        }
        catch
        {
            ReleaseLock(directory, lockFile);
            throw;
        }
    }

    /// <summary>Reads the study in <paramref name="directory"/> without taking the lock or changing anything.</summary>
    public static JournalContents Read(string directory)
    {
        directory = Path.GetFullPath(directory);
        RequireJournal(directory);
        return JournalReader.Read(JournalPath(directory));
    }

    /// <summary>
    /// Rewrites a damaged journal in <paramref name="directory"/> from its intact records, holding the master lock,
    /// after copying it to a backup (docs/journal.md, "Repair"); leaves a healthy journal alone.
    /// </summary>
    /// <exception cref="CheckpointException">Nothing can be recovered, the checkpoint is in use, or the files cannot be written.</exception>
    public static JournalRepairReport Repair(string directory, TimeProvider? time = null)
    {
        directory = Path.GetFullPath(directory);
        RequireJournal(directory);
        var lockFile = TakeLock(directory);
        try
        {
            return JournalRepair.Run(JournalPath(directory), (time ?? TimeProvider.System).GetUtcNow());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"cannot repair the journal in {directory}: {e.Message}; the journal is as it was or wholly repaired (the rename is atomic), and 'HpcTune repair' can be run again");
        }
        finally
        {
            ReleaseLock(directory, lockFile);
        }
    }

    /// <summary>
    /// A tuner over this checkpoint's study whose events go to the journal; relative checkpoint directories of a
    /// population's trials live in this folder unless <paramref name="options"/> says otherwise.
    /// </summary>
    public Tuner CreateTuner(TunerOptions? options = null)
    {
        options ??= new TunerOptions();
        return Tuner.Restore(State, options with { Sink = Writer, CheckpointRoot = options.CheckpointRoot ?? Directory });
    }

    /// <summary>
    /// Starts a master on this checkpoint: the tuner, the budget raised if asked, open trials handed out again first,
    /// this start recorded (<see cref="MasterStart.Begin"/>). Resuming a study is
    /// <c>using var checkpoint = Checkpoint.Open(dir); await checkpoint.Resume().OptimizeAsync(objective, workers);</c>.
    /// </summary>
    public Tuner Resume(TunerOptions? options = null, int? observationBudget = null, RunInfo? run = null) => MasterStart.Begin(this, options, observationBudget, run);

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Writer.Dispose();
            // A clean stop after writing: leave what a later reader can check. After a failed write or sync the
            // records counted may never have reached the disk, and a mark claiming them would make resume refuse.
            if (Writer.Failure is null && Writer.End != _openedAt)
            {
                JournalEndMark.TryWrite(JournalPath(Directory), Writer.End);
            }
        }
        finally
        {
            ReleaseLock(Directory, _lock);
        }
    }

    /// <summary>Removes the owner note this process wrote, then the lock: a refused start leaves the directory as it found it.</summary>
    private static void ReleaseLock(string directory, FileStream lockFile)
    {
        try
        {
            File.Delete(Path.Combine(directory, OwnerFileName));
        }
        catch (IOException)
        {
            // Only informative; the lock itself goes with the handle.
        }

        lockFile.Dispose();
    }

    /// <summary>A study record over <see cref="JournalFormat.MaxPayload"/> could not be written; say so before a directory is made.</summary>
    private static void RequireRecordSize(StudyDefinition definition, DateTimeOffset time)
    {
        var size = JournalRecordCodec.EncodeStudy(definition, time).Length;
        if (size > JournalFormat.MaxPayload)
        {
            throw new DefinitionException("", $"the definition takes {size} bytes in the journal, more than the {JournalFormat.MaxPayload} one record holds: {StudySize.Explain(definition, JournalFormat.MaxPayload)}");
        }
    }

    private static void RefuseFile(string directory)
    {
        if (File.Exists(directory))
        {
            throw new CheckpointException($"checkpoint {directory} is a file, not a directory; choose another --checkpoint");
        }
    }

    private static void RequireJournal(string directory)
    {
        RefuseFile(directory);
        if (!File.Exists(JournalPath(directory)))
        {
            throw new CheckpointException(System.IO.Directory.Exists(directory)
                ? $"checkpoint {directory} holds no journal ({JournalFormat.FileName}); start a study there with 'HpcTune run'"
                : $"checkpoint directory {directory} does not exist; start a study there with 'HpcTune run'");
        }
    }

    private static FileStream TakeLock(string directory)
    {
        FileStream lockFile;
        try
        {
            // FileShare.None is an exclusive flock on Unix: one master per checkpoint, and the kernel drops it when the process dies.
            lockFile = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.HResult == LockHeld)
        {
            var owner = ReadOwner(directory);
            throw new CheckpointException($"checkpoint {directory} is in use by another master{owner}; stop it first, or use another --checkpoint");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not another master: a read-only file system, no permission, a lock file that is not a file...
            throw new CheckpointException($"cannot open checkpoint {directory} for writing: {e.Message}");
        }

        try
        {
            File.WriteAllText(Path.Combine(directory, OwnerFileName), $"pid {Environment.ProcessId} on {Environment.MachineName} since {DateTimeOffset.UtcNow:O}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only informative (a full disk): the journal's own writes report the cause. A stale note must not name a dead master.
            try
            {
                File.Delete(Path.Combine(directory, OwnerFileName));
            }
            catch (Exception stale) when (stale is IOException or UnauthorizedAccessException)
            {
                // Then the note may name the previous master; the lock is still right.
            }
        }

        return lockFile;
    }

    private static string ReadOwner(string directory)
    {
        try
        {
            return $" ({File.ReadAllText(Path.Combine(directory, OwnerFileName)).Trim()})";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
