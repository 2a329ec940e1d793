using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HpcTune.Native;

/// <summary>
/// Resolves HpcTune's own native libraries (libhpctune_*.so): HPCTUNE_NATIVE_DIR first, then next to the
/// application and the calling assembly (where the build copies them). Remembers what it tried, so a failure can
/// say where it looked.
/// </summary>
public static class NativeLibraries
{
    private static readonly ConcurrentDictionary<Assembly, ConcurrentDictionary<string, string>> Registered = new();
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> TriedPaths = new(StringComparer.Ordinal);

    /// <summary>Makes <c>[LibraryImport("<paramref name="name"/>")]</c> in <paramref name="assembly"/> load <paramref name="fileName"/>.</summary>
    public static void Register(Assembly assembly, string name, string fileName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var map = Registered.GetOrAdd(assembly, a =>
        {
            var names = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            NativeLibrary.SetDllImportResolver(a, (library, asm, _) => names.TryGetValue(library, out var file) ? Load(library, file, asm) : 0);
            return names;
        });
        map[name] = fileName;
    }

    /// <summary>The paths tried for <paramref name="name"/> the last time it was resolved.</summary>
    public static IReadOnlyList<string> Tried(string name) => TriedPaths.TryGetValue(name, out var tried) ? tried : [];

    private static nint Load(string name, string fileName, Assembly assembly)
    {
        var directories = new[] { Environment.GetEnvironmentVariable("HPCTUNE_NATIVE_DIR"), AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) }
            .Where(d => !string.IsNullOrEmpty(d)).Distinct().ToList();
        var tried = new List<string>();
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory!, fileName);
            tried.Add(candidate);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                TriedPaths[name] = tried;
                return handle;
            }
        }

        TriedPaths[name] = tried;
        return 0;
    }
}
