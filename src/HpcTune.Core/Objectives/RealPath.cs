namespace HpcTune.Objectives;

/// <summary>
/// A path with every symbolic link resolved, as the kernel would walk it (a <c>..</c> after a link leaves the
/// link's target, not the folder that holds the link). Components that do not exist are kept as written.
/// </summary>
internal static class RealPath
{
    /// <summary>As many links as Linux follows in one lookup before it gives up with ELOOP.</summary>
    private const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="path"/> (relative paths start at the working directory).</summary>
    public static string Of(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pending = new List<string>(Split(path));
        pending.Reverse(); // a stack: the next component last
        var current = Path.IsPathRooted(path) ? "/" : Directory.GetCurrentDirectory();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[^1];
            pending.RemoveAt(pending.Count - 1);
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? "/";
                continue;
            }

            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++links > MaxLinks)
                {
                    throw new IOException($"too many levels of symbolic links in {path}");
                }

                var parts = Split(target);
                for (var i = parts.Length - 1; i >= 0; i--)
                {
                    pending.Add(parts[i]);
                }

                if (Path.IsPathRooted(target))
                {
                    current = "/";
                }

                continue;
            }

            current = next;
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (both real, full paths).</summary>
    public static bool IsWithin(string path, string folder)
    {
        folder = Path.TrimEndingDirectorySeparator(folder);
        return path == folder
            || (path.StartsWith(folder, StringComparison.Ordinal) && (folder == "/" || path.AsSpan(folder.Length).StartsWith("/")));
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
