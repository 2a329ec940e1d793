using System.Globalization;

namespace HpcTune.Service.Tests.Serving;

/// <summary>A temporary folder with a study file, removed on dispose.</summary>
internal sealed class StudyFolder : IDisposable
{
    public StudyFolder()
    {
        Path = Directory.CreateTempSubdirectory("hpctune-serve-").FullName;
    }

    public string Path { get; }

    public string Checkpoint => Combine("ckpt");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A study of x in [-2, 2] and a categorical k, minimizing <c>loss</c>; returns the file's path.</summary>
    public string Study(int budget = 10, int bandwidth = 4, string algorithm = "random", string name = "serve-test") => Write("study.json", Definition(budget, bandwidth, algorithm, name));

    public static string Definition(int budget = 10, int bandwidth = 4, string algorithm = "random", string name = "serve-test") => string.Create(CultureInfo.InvariantCulture, $$$"""
        {
          "name": "{{{name}}}",
          "parameters": [
            {"name": "x", "type": "double", "bounds": {"min": -2, "max": 2}},
            {"name": "k", "type": "categorical", "categorical_values": ["a", "b"]}
          ],
          "metrics": [{"name": "loss", "objective": "minimize"}],
          "observation_budget": {{{budget}}},
          "parallel_bandwidth": {{{bandwidth}}},
          "algorithm": {"name": "{{{algorithm}}}", "seed": 5}
        }
        """);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a child still writes: the temp folder is cleaned later
        }
    }
}
