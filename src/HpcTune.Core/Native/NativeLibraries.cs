using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HpcTune.Native;

/// <summary>
/// Resolves HpcTune's own native libraries (libhpctune_*.so): HPCTUNE_NATIVE_DIR first, then next to the
/// application and the calling assembly (where the build copies them), then the runtime's search, which covers a
/// NuGet package's runtimes/&lt;rid&gt;/native folder. Remembers what it tried, so a failure can say where it looked.
/// </summary>
public static class NativeLibraries
{
    private static readonly ConcurrentDictionary<Assembly, ConcurrentDictionary<string, string>> Registered = new();
    private static readonly ConcurrentDictionary<string, IReadOnlyList<string>> TriedPaths = new(StringComparer.Ordinal);

    // How Tried names the last place looked: the runtime's search for the library's name.
    private const string ApplicationSearch = "the application's native search paths (.deps.json: a package's runtimes/<rid>/native), then the system's";

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

        // An application that references a package gets the library from the package's runtimes/<rid>/native folder,
        // which its .deps.json lists; the runtime's own search (that list, then the system's) finds it there.
        tried.Add(ApplicationSearch);
        TriedPaths[name] = tried;
        return NativeLibrary.TryLoad(name, assembly, null, out var found) ? found : 0;
    }
}
