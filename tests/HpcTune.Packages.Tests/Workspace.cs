namespace HpcTune.Packages.Tests;

/// <summary>A temporary folder, removed on dispose.</summary>
public sealed class Workspace : IDisposable
{
    public Workspace()
    {
        Path = Directory.CreateTempSubdirectory("hpctune-packages-").FullName;
    }

    public string Path { get; }

    public string NuGetConfig => Combine("nuget.config");

    /// <summary>Where restores in this workspace put packages.</summary>
    public string Packages => Combine("packages");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
