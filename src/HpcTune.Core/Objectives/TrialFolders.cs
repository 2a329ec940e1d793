using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace HpcTune.Objectives;

/// <summary>
/// The folders command objectives run in (<c>{trial_dir}</c>): where a study's go, and which study owns one. Every
/// folder holds a marker naming its owner (the checkpoint, for a study run from the command line); a folder is only
/// deleted (when its trial is issued again) by the owner it names, and result.json is never read through a link
/// that leaves the folder (docs/objectives.md).
/// </summary>
internal static partial class TrialFolders
{
    /// <summary>The marker in each trial folder: the owner, on one line.</summary>
    public const string OwnerFileName = ".hpctune-owner";

    /// <summary>The longest result.json read, and the longest result line of standard output (1 MiB).</summary>
    public const int MaxResultBytes = 1 << 20;

    /// <summary>The owner that a study kept in <paramref name="checkpointDirectory"/> writes in its folders: the directory's path with every link resolved.</summary>
    public static string OwnerOf(string checkpointDirectory) => CanonicalPath(checkpointDirectory);

    /// <summary>
    /// The folder of one study's trial folders inside a root that several studies may share:
    /// <c>ROOT/NAME.HASH</c>, with the study's name (only letters, digits, <c>-</c> and <c>_</c> kept) and 12 hex
    /// digits of SHA-256 of <paramref name="owner"/>, so a resumed study finds its folders again.
    /// </summary>
    public static string StudyRoot(string trialRoot, string studyName, string owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var name = string.Concat((studyName ?? "").Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(40));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(owner)))[..12];
        return Path.Combine(trialRoot, $"{(name.Length > 0 ? name : "study")}.{hash}");
    }

    /// <summary>
    /// Makes <c>root/trial-ID</c> afresh for <paramref name="owner"/> and returns it; null with <paramref name="problem"/>
    /// set where a folder of that name exists that <paramref name="owner"/> did not make (it is left alone).
    /// </summary>
    internal static string? Prepare(string root, long trialId, string owner, out string? problem)
    {
        problem = null;
        var folder = Path.Combine(root, $"trial-{trialId}");
        var info = new DirectoryInfo(folder);
        if (info.LinkTarget is not null || File.Exists(folder) || info.Exists)
        {
            if (NotOwnedBecause(info, owner, LegacyDefaultRoot(root, owner)) is { } why)
            {
                problem = $"the trial folder {folder} exists and was not made by this study ({why}); HpcTune deletes only its own trial folders: move it away, or give --trial-root another directory";
                return null;
            }

            Directory.Delete(folder, recursive: true); // a re-issued trial starts clean: no stale result.json
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, OwnerFileName), owner + "\n");
        return folder;
    }

    /// <summary>
    /// True where <paramref name="root"/> is the default CHECKPOINT.trials of <paramref name="owner"/>, which no other
    /// study uses: every folder there is this study's, one without a marker (made before markers) or one whose marker
    /// names where the checkpoint was before it was moved.
    /// </summary>
    private static bool LegacyDefaultRoot(string root, string owner)
    {
        const string Suffix = ".trials";
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return root.EndsWith(Suffix, StringComparison.Ordinal) && CanonicalPath(root[..^Suffix.Length]) == owner;
    }

    private static string? NotOwnedBecause(DirectoryInfo folder, string owner, bool markerlessIsOwn)
    {
        if (folder.LinkTarget is not null || !folder.Exists)
        {
            return folder.LinkTarget is not null ? "it is a link" : "it is a file";
        }

        var marker = new FileInfo(Path.Combine(folder.FullName, OwnerFileName));
        if (markerlessIsOwn)
        {
            return null; // CHECKPOINT.trials is this checkpoint's alone, also after a move (its marker names the old path)
        }

        if (!marker.Exists || marker.LinkTarget is not null || marker.Length > MaxOwnerBytes)
        {
            return $"it has no {OwnerFileName} file";
        }

        var named = File.ReadAllText(marker.FullName).TrimEnd('\n');
        return named == owner ? null : $"its {OwnerFileName} names {named}";
    }

    private const int MaxOwnerBytes = 16 * 1024;

    /// <summary>
    /// The text of <c>folder/result.json</c>: null with no problem where there is none; null with
    /// <paramref name="problem"/> set where it is a link out of the folder, not a regular file, or over the cap.
    /// </summary>
    internal static string? ReadResult(string folder, out string? problem)
    {
        problem = null;
        var path = Path.Combine(folder, "result.json");
        var file = new FileInfo(path);
        if (file.LinkTarget is null && !file.Exists)
        {
            return null;
        }

        var home = CanonicalPath(folder);
        var target = CanonicalPath(path);
        if (new DirectoryInfo(folder).LinkTarget is not null || !target.StartsWith(home + "/", StringComparison.Ordinal))
        {
            problem = $"result.json is a link to {file.LinkTarget ?? target}, outside the trial folder {folder}; HpcTune does not follow links out of it";
            return null;
        }

        nint fd = Open(target, ReadOnly | NonBlocking | CloseOnExec | NoFollow);
        if (fd < 0)
        {
            problem = $"cannot open result.json (errno {Marshal.GetLastPInvokeError()})";
            return null;
        }

        using var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            problem = "result.json is not a regular file";
            return null;
        }

        if (stream.Length > MaxResultBytes)
        {
            problem = $"result.json is {stream.Length} bytes, more than the {MaxResultBytes >> 20} MiB cap on a result";
            return null;
        }

        var bytes = new byte[(int)stream.Length];
        stream.ReadExactly(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary><paramref name="path"/> made absolute with every link resolved (the part that exists; the rest appended as given).</summary>
    internal static string CanonicalPath(string path)
    {
        try
        {
            return Path.TrimEndingDirectorySeparator(RealPath.Of(path));
        }
        catch (IOException)
        {
            return Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)); // a loop of links: what opening it will refuse
        }
    }

    private const int ReadOnly = 0;
    private const int NonBlocking = 0x800;    // O_NONBLOCK: a FIFO named result.json does not block the open
    private const int CloseOnExec = 0x80000;  // O_CLOEXEC
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000; // O_NOFOLLOW

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
