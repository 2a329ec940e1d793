using System.Diagnostics;
using HpcTune.Objectives;
using HpcTune.Tests.Scheduling;
using HpcTune.Transport;
using HpcTune.Trials;
using HpcTune.Tuning;
using HpcTune.Values;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tests.Objectives;

/// <summary>
/// HPCTUNE_REPORT lines of real programs (Debian's python3): read as they come, journaled through the study, a stop
/// answered with SIGTERM to the process tree and SIGKILL after the grace period, hostile lines skipped with reasons.
/// </summary>
public sealed class CommandReportTests : IDisposable
{
    private readonly CommandKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private CommandObjective Objective(string script, TimeSpan? grace = null, ILogger? logger = null) =>
        new(CommandKit.Space, "loss", new CommandObjectiveOptions([CommandKit.Python, "-u", script], _kit.TrialRoot)
        {
            StopGrace = grace ?? CommandObjectiveOptions.DefaultStopGrace,
            Logger = logger,
        });

    /// <summary>A study of <paramref name="budget"/> trials whose rule stops a trial with loss above <paramref name="above"/> at step 3 or later.</summary>
    private static Tuner Study(int budget, double above) =>
        new(SchedulingStudies.WithRule(budget, $$"""{"at_step": 3, "above": {{above.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}"""));

    /// <summary>A python program that prints a report of loss 1 every 10 ms, forever, and writes its pid and its child's.</summary>
    private string EndlessReporter(bool ignoreSigterm) => _kit.Script(ignoreSigterm ? "stubborn.py" : "endless.py", $$"""
        import os, signal, subprocess, sys, time
        trial_dir = os.environ["HPCTUNE_TRIAL_DIR"]
        def on_term(signum, frame):
            open(os.path.join(trial_dir, "sigterm"), "w").write("got it")
            sys.exit(0)
        signal.signal(signal.SIGTERM, {{(ignoreSigterm ? "signal.SIG_IGN" : "on_term")}})
        child = subprocess.Popen(["/bin/sleep", "300"])
        open(os.path.join(trial_dir, "pids"), "w").write(f"{os.getpid()} {child.pid}")
        step = 0
        while True:
            step += 1
            print("HPCTUNE_REPORT", '{"step": %d, "loss": %g}' % (step, 1 + step / 1000), flush=True)
            time.sleep(0.01)
        """);

    private int[] Pids(long trialId) =>
        [.. File.ReadAllText(Path.Combine(_kit.TrialRoot, $"trial-{trialId}", "pids")).Split(' ').Select(p => int.Parse(p, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Reports_reach_the_study_in_order_and_a_report_line_is_never_the_result()
    {
        var script = _kit.Script("reports.py", """
            import os
            x = float(os.environ["HPCTUNE_PARAM_X"])
            for step in range(1, 5):
                print(f'HPCTUNE_REPORT {{"step": {step}, "loss": {x * step}}}', flush=True)
            print("0.125")
            print('  HPCTUNE_REPORT\t{"step": 5, "loss": 7}')
            """);
        var tuner = Study(budget: 2, above: 1e9);

        await tuner.OptimizeAsync(Objective(script), workers: 2, Token);

        Assert.Equal(2, tuner.Trials.Count);
        foreach (var trial in tuner.Trials)
        {
            Assert.Equal(TrialState.Completed, trial.State);
            Assert.Equal(0.125, trial.Values!["loss"]);
            Assert.Equal([1L, 2, 3, 4, 5], trial.Reports.Select(r => r.Step));
            var x = trial.Assignment.GetDouble("x");
            Assert.Equal(x * 3, trial.Reports[2].Values["loss"], 12);
            Assert.Equal(7, trial.Reports[4].Values["loss"]);
        }
    }

    [Fact]
    public async Task A_stop_ends_the_process_tree_with_SIGTERM_and_the_trial_stays_pruned_with_its_last_report()
    {
        var tuner = Study(budget: 3, above: 0);

        var summary = await tuner.OptimizeAsync(Objective(EndlessReporter(ignoreSigterm: false)), workers: 2, Token);

        Assert.Equal(3, tuner.Trials.Count); // the budget exactly: a pruned trial counts
        Assert.Equal(3, summary.Progress.Pruned);
        foreach (var trial in tuner.Trials)
        {
            Assert.Equal(TrialState.Pruned, trial.State);
            Assert.Equal(3, trial.Reports[^1].Step); // decided at step 3; later lines were not sent
            Assert.Equal(trial.Reports[^1].Values["loss"], trial.Values!["loss"]);
            foreach (var pid in Pids(trial.Id))
            {
                Assert.True(CommandKit.ProcessGone(pid), $"process {pid} of trial {trial.Id} outlived the stop");
            }

            Assert.Equal("got it", File.ReadAllText(Path.Combine(_kit.TrialRoot, $"trial-{trial.Id}", "sigterm")));
        }
    }

    [Fact]
    public async Task A_program_that_ends_on_SIGTERM_ends_well_within_the_grace_period()
    {
        var (hub, trial) = Issued(Study(budget: 1, above: 0));
        var clock = Stopwatch.StartNew();

        var result = await Objective(EndlessReporter(ignoreSigterm: false), grace: TimeSpan.FromSeconds(30)).EvaluateAsync(Context(hub, trial), Token);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"{clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains("stopped early (loss", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("it ended after SIGTERM", result.FailureReason, StringComparison.Ordinal);
        Assert.All(Pids(trial.Id), pid => Assert.True(CommandKit.ProcessGone(pid)));
        Assert.False(hub.Result(WorkerId.Thread(1), trial.Id, result).Recorded);
        Assert.Equal(TrialState.Pruned, hub.Tuner.GetTrial(trial.Id).State);
    }

    [Fact]
    public async Task A_program_that_ignores_SIGTERM_is_killed_with_its_children_after_the_grace_period()
    {
        var (hub, trial) = Issued(Study(budget: 1, above: 0));
        var grace = TimeSpan.FromSeconds(1.5);
        var clock = Stopwatch.StartNew();

        var result = await Objective(EndlessReporter(ignoreSigterm: true), grace).EvaluateAsync(Context(hub, trial), Token);

        Assert.True(clock.Elapsed >= grace, $"killed after {clock.Elapsed.TotalSeconds:F2} s, before the {grace.TotalSeconds} s grace");
        Assert.Contains("ignored SIGTERM for the 1.5 s grace period and was killed (SIGKILL)", result.FailureReason, StringComparison.Ordinal);
        Assert.All(Pids(trial.Id), pid => Assert.True(CommandKit.ProcessGone(pid), $"process {pid} survived SIGKILL"));
        Assert.False(File.Exists(Path.Combine(_kit.TrialRoot, $"trial-{trial.Id}", "sigterm")));
        Assert.Equal(TrialState.Pruned, hub.Tuner.GetTrial(trial.Id).State);
    }

    [Fact]
    public async Task Hostile_report_lines_are_skipped_with_their_reasons_and_the_good_ones_and_the_result_count()
    {
        var script = _kit.Script("hostile.py", """
            import sys
            lines = [
                'HPCTUNE_REPORT {"step": 1, "loss": 0.9}',
                'HPCTUNE_REPORT {not json',
                'HPCTUNE_REPORT',
                'HPCTUNE_REPORT {"loss": 0.5}',
                'HPCTUNE_REPORT {"step": "2", "loss": 0.5}',
                'HPCTUNE_REPORT {"step": 2.5, "loss": 0.5}',
                'HPCTUNE_REPORT {"step": 2, "loss": NaN}',
                'HPCTUNE_REPORT {"step": 2, "loss": 1e999}',
                'HPCTUNE_REPORT {"step": 2, "loss": "0.5"}',
                'HPCTUNE_REPORT {"step": 2, "loss": 1, "loss": 2}',
                'HPCTUNE_REPORT [1, 2]',
                'HPCTUNE_REPORT {"step": 2, "accuracy": 0.5}',
                'HPCTUNE_REPORT {"step": 0, "loss": 0.1}',
                'HPCTUNE_REPORT {"step": -3, "loss": 0.1}',
                'HPCTUNE_REPORT {"step": 3, "loss": 0.1, "pad": "' + "x" * (2 << 20) + '"}',
                'HPCTUNE_REPORT {"step": 4, "loss": 0.4}',
                'HPCTUNE_REPORTING is an ordinary line',
                '0.25',
            ]
            for line in lines:
                sys.stdout.write(line + "\n")
            """);
        var logger = new RecordingLogger();
        var tuner = Study(budget: 1, above: 1e9);

        await tuner.OptimizeAsync(Objective(script, logger: logger), workers: 1, Token);

        var trial = Assert.Single(tuner.Trials);
        Assert.Equal(TrialState.Completed, trial.State);
        Assert.Equal(0.25, trial.Values!["loss"]);
        Assert.Equal([1L, 4], trial.Reports.Select(r => r.Step));
        Assert.Equal(0.4, trial.Reports[1].Values["loss"]);
        Assert.Equal(14, trial.Metadata["report_lines_skipped"].Number);
        var skipped = logger.Messages.Where(m => m.Contains("report line skipped", StringComparison.Ordinal)).ToList();
        Assert.Equal(CommandReports.LoggedProblems, skipped.Count);
        Assert.Contains("not valid JSON", skipped[0], StringComparison.Ordinal);
        Assert.Contains("no JSON after HPCTUNE_REPORT", skipped[1], StringComparison.Ordinal);
        Assert.Contains("no 'step'", skipped[2], StringComparison.Ordinal);
        Assert.Contains("'step' is string \"2\", not a non-negative integer", skipped[3], StringComparison.Ordinal);
        Assert.Contains("'step' is number 2.5", skipped[4], StringComparison.Ordinal);
        Assert.Contains(logger.Messages, m => m.Contains("14 report lines skipped in all (9 not logged one by one)", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_kind_of_bad_report_line_has_its_own_reason()
    {
        static string? Problem(string text)
        {
            var line = new OutputLine(text, text.Length, false, false);
            Assert.True(ReportLineParser.IsReport(line));
            Assert.Null(ReportLineParser.Parse(line, out var problem));
            return problem;
        }

        Assert.Contains("metric 'loss' is number 1e999, not a finite number", Problem("""HPCTUNE_REPORT {"step": 2, "loss": 1e999}"""), StringComparison.Ordinal);
        Assert.Contains("metric 'loss' is string \"0.5\"", Problem("""HPCTUNE_REPORT {"step": 2, "loss": "0.5"}"""), StringComparison.Ordinal);
        Assert.Contains("metric 'loss' appears twice", Problem("""HPCTUNE_REPORT {"step": 2, "loss": 1, "loss": 2}"""), StringComparison.Ordinal);
        Assert.Contains("'step' appears twice", Problem("""HPCTUNE_REPORT {"step": 2, "step": 3, "loss": 1}"""), StringComparison.Ordinal);
        Assert.Contains("the JSON is array", Problem("HPCTUNE_REPORT [1, 2]"), StringComparison.Ordinal);
        Assert.Contains("step 2 names no metric", Problem("""HPCTUNE_REPORT {"step": 2}"""), StringComparison.Ordinal);
        Assert.Contains("'step' is number -3", Problem("""HPCTUNE_REPORT {"step": -3, "loss": 1}"""), StringComparison.Ordinal);
        var huge = new OutputLine("HPCTUNE_REPORT {", 3L << 20, true, false);
        Assert.Null(ReportLineParser.Parse(huge, out var cut));
        Assert.Contains("3145728 bytes, longer than the 1 MiB cap", cut, StringComparison.Ordinal);
        Assert.False(ReportLineParser.IsReport(new OutputLine("HPCTUNE_REPORTED 3", 18, false, false)));
        Assert.Equal(new Dictionary<string, double> { ["loss"] = -0.5 }, ReportLineParser.Parse(new OutputLine("""HPCTUNE_REPORT {"step": 0, "loss": -0.5}""", 40, false, false), out _)!.Values);
    }

    [Fact]
    public async Task Placeholders_and_variables_of_a_population_come_from_the_trial_context()
    {
        var script = _kit.Script("lineage.py", """
            import json, os, sys
            names = ["CHECKPOINT_DIR", "PARENT_CHECKPOINT_DIR", "START_STEP", "END_STEP", "MEMBER", "GENERATION"]
            json.dump({"argv": sys.argv[1:], "env": [os.environ.get("HPCTUNE_" + n) for n in names]},
                      open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "seen.json"), "w"))
            print(1)
            """);
        var objective = _kit.Objective([CommandKit.Python, script, "{checkpoint_dir}", "{parent_checkpoint_dir}", "--steps={start_step}:{end_step}", "{member}", "g{generation}"]);
        var assignment = CommandKit.Space.CreateAssignment(new Dictionary<string, Scalar> { ["x"] = 0.5 });
        var inPopulation = new TrialContext(9, assignment, "w", 1)
        {
            Lineage = new TrialLineage(3, 2, 4, "checkpoints/trial-9", 10, 15),
            CheckpointDirectory = "/ckpt/checkpoints/trial-9",
            ParentCheckpointDirectory = "/ckpt/checkpoints/trial-4",
        };

        Assert.False((await objective.EvaluateAsync(inPopulation, Token)).IsFailure);
        Assert.False((await objective.EvaluateAsync(new TrialContext(10, assignment, "w", 1), Token)).IsFailure);

        using var seen = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_kit.TrialRoot, "trial-9", "seen.json")));
        Assert.Equal(["/ckpt/checkpoints/trial-9", "/ckpt/checkpoints/trial-4", "--steps=10:15", "3", "g2"], seen.RootElement.GetProperty("argv").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["/ckpt/checkpoints/trial-9", "/ckpt/checkpoints/trial-4", "10", "15", "3", "2"], seen.RootElement.GetProperty("env").EnumerateArray().Select(e => e.GetString()));
        using var plain = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_kit.TrialRoot, "trial-10", "seen.json")));
        Assert.Equal(["", "", "--steps=:", "", "g"], plain.RootElement.GetProperty("argv").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["", "", "", "", "", ""], plain.RootElement.GetProperty("env").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_command_that_checkpoints_continues_from_its_parents_checkpoint()
    {
        var root = _kit.Combine("ckpt");
        var script = _kit.Script("train.py", """
            import json, os, sys
            checkpoint_dir, parent_dir, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
            x = float(os.environ["HPCTUNE_PARAM_X"])
            state = {"step": 0, "loss": 1.0, "history": []}
            if parent_dir:
                state = json.load(open(os.path.join(parent_dir, "state")))
                mine = json.load(open(os.path.join(checkpoint_dir, "state")))
                assert mine == state, "the prepared directory holds a copy of the parent's"
            assert state["step"] == start, (state["step"], start)
            for step in range(start + 1, end + 1):
                state["loss"] *= 0.5 + 0.25 * x
                state["step"] = step
                state["history"].append(os.environ["HPCTUNE_TRIAL_ID"])
                print(f'HPCTUNE_REPORT {{"step": {step}, "loss": {state["loss"]}}}', flush=True)
            json.dump(state, open(os.path.join(checkpoint_dir, "state"), "w"))
            print(state["loss"])
            """);
        var tuner = new Tuner(
            new HpcTune.Study.StudyDefinition("chain", [HpcTune.Space.ParameterDefinition.Double("x", 0, 1)], [new HpcTune.Study.MetricDefinition("loss", HpcTune.Study.MetricObjective.Minimize)], 10, 4, null, new HpcTune.Study.AlgorithmSpec("random", 1)),
            new TunerOptions { Sampler = new TwoGenerationPlanner(), CheckpointRoot = root });

        await tuner.OptimizeAsync(_kit.Objective([CommandKit.Python, script, "{checkpoint_dir}", "{parent_checkpoint_dir}", "{start_step}", "{end_step}"]), workers: 2, Token);

        Assert.Equal(4, tuner.Trials.Count(t => t.State == TrialState.Completed));
        foreach (var child in tuner.Trials.Where(t => t.Lineage!.Generation == 1))
        {
            var parent = tuner.GetTrial(child.Lineage!.ParentTrialId!.Value);
            var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "checkpoints", $"trial-{child.Id}", "state"))).RootElement;
            Assert.Equal(10, state.GetProperty("step").GetInt32());
            Assert.Equal([.. Enumerable.Repeat(parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), 5), .. Enumerable.Repeat(child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), 5)],
                state.GetProperty("history").EnumerateArray().Select(e => e.GetString()!));
            Assert.Equal([6L, 7, 8, 9, 10], child.Reports.Select(r => r.Step));
            var factor = 0.5 + (0.25 * child.Assignment.GetDouble("x"));
            Assert.Equal(parent.Values!["loss"] * factor, child.Reports[0].Values["loss"], 9); // training went on from the parent's loss
            Assert.Equal(child.Reports[^1].Values["loss"], child.Values!["loss"]);
        }
    }

    private static (WorkerHub Hub, Trial Trial) Issued(Tuner tuner)
    {
        var hub = new WorkerHub(tuner);
        hub.Join(WorkerId.Thread(1));
        return (hub, hub.Request(WorkerId.Thread(1)).Trial!);
    }

    private static TrialContext Context(WorkerHub hub, Trial trial) =>
        new(trial.Id, trial.Assignment, WorkerId.Thread(1).ToString(), trial.Attempts) { Reporter = new StraightToHub(hub) };

    /// <summary>Reports to a real hub, as a worker of another transport would; unlike the in-process worker's it cancels nothing.</summary>
    private sealed class StraightToHub(WorkerHub hub) : ITrialReporter
    {
        public ValueTask<ReportAnswer> ReportAsync(long trialId, long atStep, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken) =>
            ValueTask.FromResult(hub.Report(WorkerId.Thread(1), trialId, atStep, values));
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_messages)
            {
                _messages.Add(formatter(state, exception));
            }
        }
    }
}
