using System.Diagnostics;
using System.Globalization;

namespace HpcTune.Cli.Tests;

/// <summary>
/// A real, small file system for I/O faults: a tmpfs mounted at a folder (root only; CI runs as root). It can be
/// filled to a few free bytes, freed again and remounted read-only. Unmounted on dispose.
/// </summary>
internal sealed class SmallDisk : IDisposable
{
    private SmallDisk(string path)
    {
        Path = path;
    }

    /// <summary>Where it is mounted.</summary>
    public string Path { get; }

    private string Filler => System.IO.Path.Combine(Path, "filler");

    /// <summary>Mounts a tmpfs of <paramref name="bytes"/> at <paramref name="path"/>; skips the test (saying why) where mounting is impossible.</summary>
    public static SmallDisk Mount(string path, long bytes)
    {
        Directory.CreateDirectory(path);
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", path);
        if (code != 0)
        {
            // CI runs as root, where this works; a mount refused there must fail, not pass quietly.
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                throw new InvalidOperationException($"mount -t tmpfs failed (exit {code}) and CI is set: {output}");
            }

            Assert.Skip($"a real full disk needs a tmpfs mount (root): mount -t tmpfs failed with exit {code}: {output.Trim()}");
        }

        return new SmallDisk(path);
    }

    /// <summary>Fills the disk with one file until about <paramref name="leaveFree"/> bytes are left.</summary>
    public void Fill(long leaveFree)
    {
        using (var filler = new FileStream(Filler, FileMode.Append, FileAccess.Write))
        {
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    filler.Write(block);
                }
            }
            catch (IOException)
            {
                // Full.
            }
        }

        var full = new FileInfo(Filler).Length;
        using var shrink = new FileStream(Filler, FileMode.Open, FileAccess.Write);
        shrink.SetLength(Math.Max(0, full - leaveFree));
    }

    /// <summary>Gives the filler's space back.</summary>
    public void Free() => File.Delete(Filler);

    /// <summary>Remounts read-only (<paramref name="readOnly"/>) or read-write.</summary>
    public void Remount(bool readOnly)
    {
        var (code, output) = Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);
        Assert.True(code == 0, $"remount failed: {output}");
    }

    public void Dispose() => Run("umount", "-l", Path);

    private static (int Code, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, string.Create(CultureInfo.InvariantCulture, $"{file}: {e.Message}"));
        }
    }
}
