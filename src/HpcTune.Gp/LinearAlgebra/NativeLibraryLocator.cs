using System.Reflection;
using System.Runtime.InteropServices;

namespace HpcTune.Gp.LinearAlgebra;

/// <summary>
/// Finds libhpctune_la.so next to the assemblies (where the build copies it), or in HPCTUNE_NATIVE_DIR, and
/// remembers where it looked so a failure can say so.
/// </summary>
internal static class NativeLibraryLocator
{
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Every path tried by the last resolution, for error messages.</summary>
    public static IReadOnlyList<string> Tried { get; private set; } = [];

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLocator).Assembly, Resolve);
            _installed = true;
        }
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != NativeMethods.Library)
        {
            return 0;
        }

        var directories = new[] { Environment.GetEnvironmentVariable("HPCTUNE_NATIVE_DIR"), AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) }
            .Where(d => !string.IsNullOrEmpty(d)).Distinct().ToList();
        var tried = new List<string>();
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory!, "libhpctune_la.so");
            tried.Add(candidate);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                Tried = tried;
                return handle;
            }
        }

        Tried = tried;
        return 0;
    }
}
