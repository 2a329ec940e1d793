using HpcTune.Trials;

namespace HpcTune.Objectives;

/// <summary>
/// Makes a trial's checkpoint directory ready before its objective runs: emptied (a segment run again after an
/// interruption restarts from its parent's checkpoint, never from its own half-written one), then filled with a copy
/// of the parent's files, so an objective may read and write the one directory. A copy, not hard links: an objective
/// that rewrote a file in place would otherwise change its parent's checkpoint, which other members may still read.
/// </summary>
public static class CheckpointDirectories
{
    /// <summary>Empties or creates <see cref="TrialCheckpointPaths.Directory"/> and copies the parent's files into it.</summary>
    /// <exception cref="IOException">The directory cannot be made or the parent's files cannot be copied (the message names the path).</exception>
    public static void Prepare(TrialCheckpointPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        try
        {
            if (Directory.Exists(paths.Directory))
            {
                Directory.Delete(paths.Directory, recursive: true);
            }

            Directory.CreateDirectory(paths.Directory);
            if (paths.ParentDirectory is { } parent && Directory.Exists(parent))
            {
                CopyTree(parent, paths.Directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot prepare the checkpoint directory {paths.Directory}{(paths.ParentDirectory is { } p ? $" from {p}" : "")}: {e.Message}", e);
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var directory in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }
}
