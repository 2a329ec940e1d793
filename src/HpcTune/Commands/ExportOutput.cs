using System.Security.Cryptography;
using System.Text;
using HpcTune.Journal;
using HpcTune.Objectives;

namespace HpcTune.Cli.Commands;

/// <summary>
/// Writes <c>export --output</c> and <c>report --output</c> without ever harming a checkpoint (CONTRACTS.md §4: only the master writes in
/// one). A path inside a checkpoint directory is refused, however it is spelled: through <c>..</c>, a link to the
/// folder, or a link to one of its files. A regular file is written as a temporary file in the same folder and
/// renamed over the old one, so a failed export leaves the old file whole; a pipe, terminal or other stream
/// (<c>/dev/stdout</c>, a FIFO) is written as it is.
/// </summary>
internal static class ExportOutput
{
    /// <summary>What a verb writes, as its refusals name it: "the export" and an example path.</summary>
    public sealed record Kind(string What, string Example);

    /// <summary>The output of <c>export</c>.</summary>
    public static readonly Kind Export = new("the export", "trials.csv");

    /// <summary>The output of <c>report</c>.</summary>
    public static readonly Kind Report = new("the report", "report.html");

    public static Task WriteAsync(string output, string checkpoint, string text) => WriteAsync(output, checkpoint, Encoding.UTF8.GetBytes(text), Export);

    /// <summary>Writes <paramref name="bytes"/> (<paramref name="kind"/>) to <paramref name="output"/>, refusing a path inside <paramref name="checkpoint"/>.</summary>
    public static async Task WriteAsync(string output, string checkpoint, byte[] bytes, Kind kind)
    {
        var shown = Path.GetFullPath(output);
        try
        {
            await WriteCheckedAsync(output, shown, checkpoint, bytes, kind).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A path the user gave, so a usage error (exit 2) rather than an unhandled crash.
            throw new ArgumentException($"--output {shown}: cannot write it: {e.Message}", e);
        }
    }

    private static async Task WriteCheckedAsync(string output, string shown, string checkpoint, byte[] bytes, Kind kind)
    {
        var target = RealPath.Of(output);
        RefuseCheckpoint(shown, target, RealPath.Of(checkpoint), kind);
        if (Directory.Exists(target))
        {
            throw new ArgumentException($"--output {shown}: it is a directory; name a file to write");
        }

        var folder = Path.GetDirectoryName(target) ?? "/";
        if (!Directory.Exists(folder))
        {
            throw new ArgumentException($"--output {shown}: cannot write it: the folder {folder} does not exist");
        }

        if (File.Exists(output) && await TryWriteStreamAsync(output, bytes).ConfigureAwait(false))
        {
            return;
        }

        await ReplaceAsync(target, bytes).ConfigureAwait(false);
    }

    private static void RefuseCheckpoint(string shown, string target, string checkpoint, Kind kind)
    {
        var via = shown == target ? "" : $" (it resolves to {target})";
        if (RealPath.IsWithin(target, checkpoint))
        {
            throw new ArgumentException(
                $"--output {shown}{via} is inside the checkpoint directory {checkpoint}; only the study's master writes there, and {kind.What} "
                + $"could replace its journal. Write {kind.What} outside it, e.g. --output {kind.Example}");
        }

        for (var folder = Path.GetDirectoryName(target); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Checkpoint.JournalPath(folder)))
            {
                throw new ArgumentException(
                    $"--output {shown}{via} is inside {folder}, the checkpoint directory of another study; only that study's master writes there. "
                    + $"Write {kind.What} outside it");
            }
        }
    }

    /// <summary>Writes into an existing file that is not a regular one (it cannot seek); false for a regular file.</summary>
    private static async Task<bool> TryWriteStreamAsync(string path, byte[] bytes)
    {
        // Opening a FIFO waits for its reader, as writing to one always does; a regular file is neither truncated nor changed.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 1);
        await using (stream.ConfigureAwait(false))
        {
            if (stream.CanSeek)
            {
                return false;
            }

            await stream.WriteAsync(bytes).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Writes a temporary file beside <paramref name="target"/>, flushes it to disk and renames it over <paramref name="target"/>.</summary>
    private static async Task ReplaceAsync(string target, byte[] bytes)
    {
        var temporary = Path.Join(Path.GetDirectoryName(target), $".{Path.GetFileName(target)}.{Environment.ProcessId}-{RandomNumberGenerator.GetHexString(8)}.tmp");
        try
        {
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            if (File.Exists(target) && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, File.GetUnixFileMode(target)); // a file made private stays private
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            Discard(temporary);
            throw;
        }
    }

    private static void Discard(string temporary)
    {
        try
        {
            File.Delete(temporary); // no error if it was never made
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not remove the temporary file {temporary}: {e.Message}");
        }
    }
}
