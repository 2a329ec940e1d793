using System.Text.RegularExpressions;

[assembly: AssemblyFixture(typeof(HpcTune.Packages.Tests.LocalFeed))]

namespace HpcTune.Packages.Tests;

/// <summary>
/// The packages bash .ci/pack made in artifacts/packages, once per test run, and the version they carry. Each test
/// restores from them into a folder of its own (<see cref="CreateWorkspace"/>), never into the user's NuGet cache, so
/// a package from an earlier pack of the same version is never taken instead.
/// </summary>
public sealed partial class LocalFeed
{
    public LocalFeed()
    {
        var root = RepositoryRoot();
        Path = System.IO.Path.Combine(root, "artifacts", "packages");
        var tool = Directory.Exists(Path) ? Directory.GetFiles(Path, "HpcTune.Tool.*.nupkg") : [];
        if (tool.Length != 1)
        {
            throw new InvalidOperationException($"expected one HpcTune.Tool package in {Path}, found {tool.Length}: run 'bash .ci/pack' after the build (.ci/build does)");
        }

        Version = ToolVersion().Match(System.IO.Path.GetFileName(tool[0])).Groups[1].Value;
    }

    /// <summary>The folder of .nupkg files.</summary>
    public string Path { get; }

    /// <summary>The packages' version, from the tool package's file name.</summary>
    public string Version { get; }

    /// <summary>
    /// A temporary folder with a nuget.config whose sources are this feed and the machine's own (for the packages
    /// HpcTune depends on), restoring into packages/ inside it; the user's NuGet cache is a read-only fallback.
    /// </summary>
    public Workspace CreateWorkspace()
    {
        var workspace = new Workspace();
        var userCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache
            ? cache
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        workspace.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{workspace.Combine("packages")}" />
              </config>
              <packageSources>
                <add key="hpctune-local" value="{Path}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user-cache" value="{userCache}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        return workspace;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "HpcTune.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no HpcTune.sln above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^HpcTune\.Tool\.(.+)\.nupkg$")]
    private static partial Regex ToolVersion();
}
