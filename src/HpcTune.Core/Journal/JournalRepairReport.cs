namespace HpcTune.Journal;

/// <summary>What <see cref="Checkpoint.Repair"/> found, dropped and kept, one line each, for the user to read.</summary>
public sealed class JournalRepairReport
{
    internal JournalRepairReport(bool repaired, IReadOnlyList<string> lines, string? backupPath)
    {
        Repaired = repaired;
        Lines = lines;
        BackupPath = backupPath;
    }

    /// <summary>True when the journal was rewritten; false when it was healthy and left alone.</summary>
    public bool Repaired { get; }

    /// <summary>What was found, each record or byte range dropped and why, what was kept, and where the backup is.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The copy of the journal as it was before the repair, or null when nothing was changed.</summary>
    public string? BackupPath { get; }
}
