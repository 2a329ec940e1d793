using System.Globalization;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

/// <summary>
/// Reports and stops over MPI (real <c>mpiexec</c>, 4 ranks): a command objective's HPCTUNE_REPORT lines reach the
/// master, ASHA or the median rule prunes losing trials, the stopped commands get SIGTERM (SIGKILL after the grace the
/// ranks were given), and the budget is met exactly.
/// </summary>
public sealed class MpiEarlyStoppingTests : IDisposable
{
    private const int Budget = 15, Steps = 9;

    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    /// <summary>
    /// A learning curve per trial, (x − 0.3)² + 0.5 / step, reported every 0.1 s; on SIGTERM it leaves a mark and
    /// exits, as it does at its end. Each trial writes its pid, so the test can see that no stopped program lives on.
    /// A second argument <c>ignore-sigterm</c> makes it ignore SIGTERM.
    /// </summary>
    private string Curve(string marks) => _w.Write("curve.py", $$"""
        import json, os, signal, sys, time
        trial = os.environ["HPCTUNE_TRIAL_ID"]
        def on_term(signum, frame):
            open(os.path.join("{{marks}}", "sigterm-" + trial), "w").close()
            sys.exit(0)
        signal.signal(signal.SIGTERM, signal.SIG_IGN if sys.argv[2:] == ["ignore-sigterm"] else on_term)
        open(os.path.join("{{marks}}", "pid-" + trial), "w").write(str(os.getpid()))
        x = float(sys.argv[1])
        for step in range(1, {{Steps}} + 1):
            loss = (x - 0.3) ** 2 + 0.5 / step
            print("HPCTUNE_REPORT", json.dumps({"step": step, "loss": loss}), flush=True)
            time.sleep(0.1)
        open(os.path.join("{{marks}}", "done-" + trial), "w").close()
        print(loss)
        """);

    private string StudyWith(string rule) => _w.Write("study.json", $$$"""
        {"name": "mpi-stopping", "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": {{{Budget}}}, "parallel_bandwidth": 3,
         "algorithm": {"name": "sobol", "seed": 5}, "early_stopping": {{{rule}}}}
        """);

    private string Marks()
    {
        var marks = _w.Combine("marks");
        Directory.CreateDirectory(marks);
        return marks;
    }

    [Theory]
    [InlineData("""{"name": "asha", "min_steps": 1, "reduction_factor": 3, "max_steps": 9}""")]
    [InlineData("""{"name": "median", "min_trials": 3}""")]
    public async Task Ranks_report_losing_trials_are_pruned_and_the_budget_is_met_exactly(string rule)
    {
        var marks = Marks();

        var result = await MpiLauncher.RunAsync(_w.Path, 4, "run", "--study", StudyWith(rule), "--checkpoint", _w.Checkpoint, "--grace", "10",
            "--command", Workspace.Python, Curve(marks), "{x}");

        AssertPrunedAndMet(result, marks, sigterm: true);
    }

    [Fact]
    public async Task A_program_that_ignores_SIGTERM_is_killed_after_the_grace_period_the_ranks_were_given()
    {
        var marks = Marks();

        var result = await MpiLauncher.RunAsync(_w.Path, 4, "run", "--study", StudyWith("""{"name": "median", "min_trials": 3}"""), "--checkpoint", _w.Checkpoint,
            "--grace", "0.5", "--command", Workspace.Python, Curve(marks), "{x}", "ignore-sigterm");

        AssertPrunedAndMet(result, marks, sigterm: false);
        Assert.Contains("ignored SIGTERM for the 0.5 s grace period and was killed (SIGKILL)", result.Stderr, StringComparison.Ordinal);
    }

    private void AssertPrunedAndMet(HpcTuneProcess.Result result, string marks, bool sigterm)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        var trials = state.Trials;
        Assert.Equal(Budget, trials.Count);
        var pruned = trials.Where(t => t.State == TrialState.Pruned).ToList();
        var completed = trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(Budget, pruned.Count + completed.Count);
        Assert.NotEmpty(pruned);
        Assert.NotEmpty(completed);
        var terminated = pruned.Count(t => File.Exists(Path.Combine(marks, $"sigterm-{t.Id}")));
        Assert.True(sigterm ? 2 * terminated >= pruned.Count : terminated == 0, $"{terminated} of {pruned.Count} pruned programs handled SIGTERM");
        Assert.All(completed, t => Assert.Equal([.. Enumerable.Range(1, Steps).Select(s => (long)s)], t.Reports.Select(r => r.Step)));
        foreach (var trial in pruned)
        {
            var last = trial.Reports[^1];
            Assert.True(last.Step < Steps, $"trial {trial.Id} pruned after its last step");
            Assert.Equal(last.Values["loss"], trial.Values!["loss"]);
            Assert.Equal(Math.Pow(trial.Assignment.GetDouble("x") - 0.3, 2) + (0.5 / last.Step), last.Values["loss"], 12);
            // Its program got SIGTERM, unless it had run to its end before the answer to an earlier report reached it
            // (reports are sent one at a time, each after the last one's answer, while the program runs on). Such a
            // program either had exited, or SIGTERM found it exiting (Python runs no handler once it is shutting down);
            // either way it was not killed.
            if (sigterm && !File.Exists(Path.Combine(marks, $"sigterm-{trial.Id}")))
            {
                Assert.True(File.Exists(Path.Combine(marks, $"done-{trial.Id}")), $"trial {trial.Id} was pruned and its program neither got SIGTERM nor ran to its end");
                Assert.Contains(result.Stderr.Split('\n'), l => l.Contains($"Trial {trial.Id} stopped early", StringComparison.Ordinal)
                    && (l.TrimEnd().EndsWith("it had already exited", StringComparison.Ordinal) || l.TrimEnd().EndsWith("it ended after SIGTERM", StringComparison.Ordinal)));
            }
        }

        // The ranks did the work, and no program of a stopped trial lives on.
        Assert.True(trials.Select(t => t.Worker).Distinct().Count() >= 2, string.Join(", ", trials.Select(t => t.Worker)));
        foreach (var pidFile in Directory.GetFiles(marks, "pid-*"))
        {
            var pid = int.Parse(File.ReadAllText(pidFile), CultureInfo.InvariantCulture);
            Assert.False(File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z", $"{Path.GetFileName(pidFile)}: process {pid} outlived the job");
        }
    }
}
