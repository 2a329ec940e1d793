using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Runtime.InteropServices;

namespace HpcTune.Objectives;

/// <summary>
/// Ends what an objective left running. Its process group is killed (the objective runs under <c>setsid</c>, so the
/// group is its own and its id is the objective's pid), and so is every other process of this user that still holds
/// one of the objective's output pipes (a child that started a session of its own, or the whole tree where
/// <c>setsid</c> is missing): then the pipes reach their end and the readers finish after reading what is buffered.
/// </summary>
internal static partial class ProcessTreeEnd
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    /// <summary>Programs between SIGTERM and SIGKILL (pid, whether it leads a group of its own); see <see cref="Track"/>.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> Terminating = new();

    static ProcessTreeEnd() => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillTerminating();

    /// <summary>SIGTERM to the process group <paramref name="pid"/> leads (<paramref name="group"/>), or to the process alone.</summary>
    public static void Terminate(int pid, bool group)
    {
        if (pid > 1)
        {
            _ = Kill(group ? -pid : pid, SigTerm);
        }
    }

    /// <summary>
    /// Marks <paramref name="pid"/> as told to stop until disposed: should this process exit within the grace period
    /// (the study ended), the program is killed on the way out instead of outliving it in its own session.
    /// </summary>
    public static IDisposable Track(int pid, bool group)
    {
        Terminating[pid] = group;
        return new Tracked(pid);
    }

    private static void KillTerminating()
    {
        foreach (var (pid, group) in Terminating)
        {
            _ = Kill(group ? -pid : pid, SigKill);
        }
    }

    private sealed class Tracked(int pid) : IDisposable
    {
        public void Dispose() => Terminating.TryRemove(pid, out _);
    }

    /// <summary>The kernel's names (<c>pipe:[inode]</c>) of <paramref name="process"/>'s redirected output pipes, read while they are open.</summary>
    public static IReadOnlyList<string> PipeNames(Process process)
    {
        var names = new List<string>(2);
        foreach (var stream in new[] { process.StandardOutput.BaseStream, process.StandardError.BaseStream })
        {
            if (OperatingSystem.IsLinux() && stream is PipeStream pipe
                && new FileInfo($"/proc/self/fd/{pipe.SafePipeHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture)}").LinkTarget is { } name
                && name.StartsWith("pipe:", StringComparison.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>SIGKILL to the process group <paramref name="groupId"/>; nothing happens where it has no member left.</summary>
    public static void KillGroup(int groupId)
    {
        if (groupId > 1)
        {
            _ = Kill(-groupId, SigKill);
        }
    }

    /// <summary>SIGKILL to every other process that holds one of <paramref name="pipeNames"/>; the number killed.</summary>
    public static int KillPipeHolders(IReadOnlyList<string> pipeNames)
    {
        if (pipeNames.Count == 0 || !Directory.Exists("/proc"))
        {
            return 0;
        }

        var killed = 0;
        var self = Environment.ProcessId;
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            // A child of this process is another worker's objective, or one between fork and exec that still holds
            // copies of every pipe for a moment: never one to kill here (the objective itself has exited).
            if (Holds(entry, pipeNames) && ParentOf(entry) != self)
            {
                killed += Kill(pid, SigKill) == 0 ? 1 : 0;
            }
        }

        return killed;
    }

    private static bool Holds(string processDirectory, IReadOnlyList<string> pipeNames)
    {
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(processDirectory, "fd")))
            {
                if (new FileInfo(fd).LinkTarget is { } target && pipeNames.Contains(target, StringComparer.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's process, or one that ended while we looked.
        }

        return false;
    }

    private static int ParentOf(string processDirectory)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText(Path.Combine(processDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
