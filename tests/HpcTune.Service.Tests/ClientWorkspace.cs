namespace HpcTune.Service.Tests;

/// <summary>A temporary folder with a study file and objective scripts for the client tests, removed on dispose.</summary>
internal sealed class ClientWorkspace : IDisposable
{
    public const string Python = "/usr/bin/python3";

    public ClientWorkspace()
    {
        Path = Directory.CreateTempSubdirectory("hpctune-client-").FullName;
    }

    public string Path { get; }

    public string Checkpoint => Combine("ckpt");

    public string TokenFile => Combine("ckpt", "token");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string name, string text)
    {
        var path = Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Branin's space (x1, x2) minimizing <c>value</c>, so the built-in objectives fit it; random suggestions.</summary>
    public string Study(int budget = 10, int bandwidth = 4, int maxFailures = 20) => Write("study.json", $$$"""
        {
          "name": "client-test",
          "parameters": [
            {"name": "x1", "type": "double", "bounds": {"min": -5, "max": 10}},
            {"name": "x2", "type": "double", "bounds": {"min": 0, "max": 15}}
          ],
          "metrics": [{"name": "value", "objective": "minimize"}],
          "observation_budget": {{{budget}}},
          "parallel_bandwidth": {{{bandwidth}}},
          "max_failures": {{{maxFailures}}},
          "algorithm": {"name": "random", "seed": 5}
        }
        """);

    /// <summary>
    /// x1 + 2·x2, after <paramref name="sleepSeconds"/>; appends "TRIAL_ID VALUE" to <c>evaluations.txt</c> (flushed
    /// to disk) before printing the value.
    /// </summary>
    public string Objective(double sleepSeconds = 0) => Write("objective.py", $$"""
        import os, sys, time
        x1, x2 = float(sys.argv[1]), float(sys.argv[2])
        time.sleep({{sleepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}})
        value = x1 + 2 * x2
        with open(sys.argv[3], "a") as side:
            side.write(f"{os.environ['HPCTUNE_TRIAL_ID']} {value!r}\n")
            side.flush()
            os.fsync(side.fileno())
        print(value)
        """);

    public string Evaluations => Combine("evaluations.txt");

    /// <summary>The objective's argv for <c>--command</c>.</summary>
    public string[] ObjectiveCommand(double sleepSeconds = 0) => [Python, Objective(sleepSeconds), "{x1}", "{x2}", Evaluations];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // a child still writing; the temp folder is cleaned by the system
        }
    }
}
