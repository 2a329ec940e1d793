using System.Globalization;
using HpcTune.Cli.Tests;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Service.Tests;

/// <summary><c>HpcTune worker --connect</c>: the evaluation loop of a rank, as separate processes, against a real server.</summary>
public sealed class WorkerCliTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task A_worker_with_a_command_objective_runs_the_study_to_its_budget()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 8, bandwidth: 2));

        var worker = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", "--connect", server.Url.ToString(), "--token-file", _w.TokenFile, "--name", "py-1", "--command", .. _w.ObjectiveCommand()]);

        Assert.True(worker.ExitCode == 0, worker.ToString());
        await server.KillAsync(); // the journal is read as a restarted server would read it
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(8, completed.Count);
        Assert.All(completed, t =>
        {
            Assert.Equal(t.Assignment.GetDouble("x1") + (2 * t.Assignment.GetDouble("x2")), t.Values!["value"], 9);
            Assert.Equal("py-1", t.Worker);
            Assert.Equal(Environment.MachineName, t.Metadata["hostname"].Text);
        });
        var evaluations = File.ReadAllLines(_w.Evaluations).Select(l => long.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(completed.Select(t => t.Id).Order(), evaluations.Order());
        Assert.True(Directory.Exists(_w.Combine("hpctune-trials")), "trial folders go to hpctune-trials in the working directory");
    }

    [Fact]
    public async Task Three_builtin_workers_share_the_study_and_meet_its_budget_exactly()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 30, bandwidth: 3));

        // Each leaves after 10 trials, so the 30 of the budget need all three, however their starts fall.
        var workers = Enumerable.Range(1, 3).Select(i => HpcTuneProcess.Start(_w.Path, "worker", "--connect", server.Url.ToString(), "--token-file", _w.TokenFile,
            "--name", $"w{i}", "--objective", "builtin:branin", "--max-trials", "10")).ToList();
        var results = await Task.WhenAll(workers.Select(p => HpcTuneProcess.CollectAsync(p, TimeSpan.FromSeconds(50), () => p.Kill(entireProcessTree: true))));
        foreach (var worker in workers)
        {
            worker.Dispose();
        }

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        await server.KillAsync();
        var completed = Checkpoint.Read(_w.Checkpoint).State.Trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(30, completed.Count);
        Assert.Equal(["w1", "w2", "w3"], completed.GroupBy(t => t.Worker).Select(g => (g.Key, g.Count())).Order().Select(p => p.Key));
        Assert.All(completed.GroupBy(t => t.Worker), g => Assert.Equal(10, g.Count()));

        // status counts the trials per network worker, by the names they gave.
        var status = await HpcTuneProcess.RunInAsync(_w.Path, ["status", "--checkpoint", _w.Checkpoint, "--json"]);
        using var json = System.Text.Json.JsonDocument.Parse(status.Stdout);
        var perWorker = json.RootElement.GetProperty("workers").EnumerateArray().Select(w => (w.GetProperty("worker").GetString(), w.GetProperty("states").GetProperty("completed").GetInt32()));
        Assert.Equal([("w1", 10), ("w2", 10), ("w3", 10)], perWorker);
    }

    [Fact]
    public async Task A_worker_of_a_finished_study_exits_0_and_bad_options_exit_2()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 2, bandwidth: 1));
        string[] connect = ["--connect", server.Url.ToString(), "--token-file", _w.TokenFile];

        var first = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", .. connect, "--objective", "builtin:branin"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("joined", first.Stderr, StringComparison.Ordinal);
        var late = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", .. connect, "--objective", "builtin:branin", "--quiet"]);
        Assert.True(late.ExitCode == 0, late.ToString());
        Assert.Equal(("", ""), (late.Stdout, late.Stderr)); // quiet: nothing but warnings and errors

        var mismatch = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", .. connect, "--objective", "builtin:hartmann6"]);
        Assert.True(mismatch.ExitCode == 2, mismatch.ToString());
        Assert.Contains("x1", mismatch.Stderr, StringComparison.Ordinal);
        var neither = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", .. connect]);
        Assert.True(neither.ExitCode == 2, neither.ToString());
        var badName = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", .. connect, "--name", "a b", "--objective", "builtin:branin"]);
        Assert.True(badName.ExitCode == 2, badName.ToString());
        Assert.Contains("--name", badName.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_study_s_early_stopping_ends_a_worker_s_command_and_the_worker_goes_on()
    {
        var study = _w.Write("median.json", """
            {
              "name": "worker-median",
              "parameters": [
                {"name": "x1", "type": "double", "bounds": {"min": -5, "max": 10}},
                {"name": "x2", "type": "double", "bounds": {"min": 0, "max": 15}}
              ],
              "metrics": [{"name": "value", "objective": "minimize"}],
              "observation_budget": 4,
              "parallel_bandwidth": 1,
              "algorithm": {"name": "random", "seed": 5},
              "early_stopping": {"name": "median", "min_trials": 1}
            }
            """);
        // Reports its trial's id at steps 1..3 and notes each step it reached; after step 1 a trial other than the
        // first waits far longer than the test may take: only a stop that ends the command lets the worker go on.
        var script = _w.Write("reporting.py", """
            import os, sys, time
            trial = int(os.environ["HPCTUNE_TRIAL_ID"])
            for step in (1, 2, 3):
                with open(sys.argv[1], "a") as steps:  # noted before the report: a prompt stop cannot come between them
                    steps.write(f"{trial} {step}\n")
                print(f'HPCTUNE_REPORT {{"step": {step}, "value": {trial}}}', flush=True)
                time.sleep(0.2 if trial == 1 else 600)
            print(trial)
            """);
        var steps = _w.Combine("steps.txt");
        await using var server = await ServedStudy.StartAsync(_w, study);

        var worker = await HpcTuneProcess.RunInAsync(_w.Path, ["worker", "--connect", server.Url.ToString(), "--token-file", _w.TokenFile, "--name", "learner",
            "--command", ClientWorkspace.Python, script, steps]);

        Assert.True(worker.ExitCode == 0, worker.ToString());
        await server.KillAsync();
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        Assert.Equal([TrialState.Completed, TrialState.Pruned, TrialState.Pruned, TrialState.Pruned], trials.Select(t => t.State));
        Assert.Equal([1L, 2L, 3L], trials[0].Reports.Select(r => r.Step));
        Assert.All(trials.Skip(1), t =>
        {
            Assert.Equal([1L], t.Reports.Select(r => r.Step));
            Assert.Equal(t.Id, t.Values!["value"]);
            Assert.Contains("median", t.Reason, StringComparison.Ordinal);
        });
        Assert.Equal(["1 1", "1 2", "1 3", "2 1", "3 1", "4 1"], File.ReadAllLines(steps));
    }

    public void Dispose() => _w.Dispose();
}
