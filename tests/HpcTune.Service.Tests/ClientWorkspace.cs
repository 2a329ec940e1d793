using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>A <see cref="StudyFolder"/> with the client tests' study (Branin's space) and objective script.</summary>
internal sealed class ClientWorkspace : IDisposable
{
    public const string Python = "/usr/bin/python3";
    private readonly StudyFolder _folder = new();

    public string Path => _folder.Path;

    public string Checkpoint => _folder.Checkpoint;

    public string TokenFile => Combine("ckpt", "token");

    public string Combine(params string[] parts) => _folder.Combine(parts);

    public string Write(string name, string text) => _folder.Write(name, text);

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

    public void Dispose() => _folder.Dispose();
}
