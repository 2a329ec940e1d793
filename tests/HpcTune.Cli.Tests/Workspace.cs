namespace HpcTune.Cli.Tests;

/// <summary>A temporary folder with a study file and objective scripts, removed on dispose.</summary>
internal sealed class Workspace : IDisposable
{
    public const string Python = "/usr/bin/python3";

    public Workspace()
    {
        Path = Directory.CreateTempSubdirectory("hpctune-cli-").FullName;
    }

    public string Path { get; }

    public string Checkpoint => Combine("ckpt");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>A study of x, y in [-2, 2] and a categorical k, minimizing <c>loss</c>.</summary>
    public string Study(int budget = 20, int bandwidth = 3, int maxFailures = 20, string algorithm = "sobol") => Write("study.json", $$$"""
        {
          "name": "cli-test",
          "parameters": [
            {"name": "x", "type": "double", "bounds": {"min": -2, "max": 2}},
            {"name": "y", "type": "double", "bounds": {"min": -2, "max": 2}},
            {"name": "k", "type": "categorical", "categorical_values": ["a", "\"; rm -rf ~"]}
          ],
          "metrics": [{"name": "loss", "objective": "minimize"}],
          "observation_budget": {{{budget}}},
          "parallel_bandwidth": {{{bandwidth}}},
          "max_failures": {{{maxFailures}}},
          "algorithm": {"name": "{{{algorithm}}}", "seed": 3}
        }
        """);

    /// <summary>An objective that appends "trial value" to a side file before printing the value.</summary>
    public string QuadraticObjective() => Write("quad.py", """
        import sys, os
        x, y = float(sys.argv[1]), float(sys.argv[2])
        value = (x - 0.5) ** 2 + (y + 0.25) ** 2
        with open(sys.argv[3], "a") as side:
            side.write(f"{os.environ['HPCTUNE_TRIAL_ID']} {value!r}\n")
            side.flush()
            os.fsync(side.fileno())
        print(value)
        """);

    /// <summary>
    /// An objective that marks its start in <paramref name="started"/> (a file named by the trial id), then waits until
    /// the file <paramref name="release"/> exists and prints x² (0.5 without an argument).
    /// </summary>
    public string GatedObjective(string started, string release)
    {
        Directory.CreateDirectory(started);
        return Write("gated.py", $"""
            import os, sys, time
            open(os.path.join("{started}", os.environ["HPCTUNE_TRIAL_ID"]), "w").close()
            while not os.path.exists("{release}"):
                time.sleep(0.02)
            print(float(sys.argv[1]) ** 2 if len(sys.argv) > 1 else 0.5)
            """);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
