using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>status and export with the second edition's model: a Pareto front, inactive parameters, metadata, reports, pruned trials, lineage.</summary>
public sealed class StudyModelCliTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private string Study(string algorithm = "random") => _w.Write("model.json", $$$"""
        {
          "name": "model",
          "conditionals": [{"name": "branch", "values": ["wide", "deep"]}],
          "parameters": [
            {"name": "x", "type": "double", "bounds": {"min": -1, "max": 3}},
            {"name": "layers", "type": "int", "bounds": {"min": 2, "max": 9}, "conditions": {"branch": ["deep"]}}
          ],
          "metrics": [
            {"name": "f1", "objective": "minimize"},
            {"name": "f2", "objective": "minimize"},
            {"name": "x_value", "objective": "minimize", "strategy": "constraint", "threshold": 2.5}
          ],
          "observation_budget": 16,
          "parallel_bandwidth": 2,
          "algorithm": {"name": "{{{algorithm}}}", "seed": 3}
        }
        """);

    private string Objective() => _w.Write("two.py", """
        import json, sys
        x, layers = float(sys.argv[1]), sys.argv[2]
        print(json.dumps({"metrics": {"f1": x * x, "f2": (x - 2) ** 2, "x_value": x},
                          "metadata": {"layers_arg": layers, "deep": layers != "", "source": "two.py"}}))
        """);

    [Theory]
    [InlineData("random")]
    [InlineData("sobol")]
    public async Task A_conditional_two_objective_study_runs_and_status_and_export_show_its_front(string algorithm)
    {
        var run = await HpcTuneProcess.RunAsync("run", "--study", Study(algorithm), "--checkpoint", _w.Checkpoint, "--workers", "2",
            "--command", Workspace.Python, Objective(), "{x}", "{layers}");
        Assert.True(run.ExitCode == 0, run.Stderr);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.Equal(0, status.ExitCode);
        using var json = JsonDocument.Parse(status.Stdout);
        var front = json.RootElement.GetProperty("pareto_front").EnumerateArray().Select(e => e.GetInt64()).ToList();
        Assert.NotEmpty(front);
        var frontTrials = json.RootElement.GetProperty("pareto_front_trials").EnumerateArray().ToList();
        Assert.Equal(front, frontTrials.Select(t => t.GetProperty("id").GetInt64()));
        Assert.All(frontTrials, t => Assert.True(t.GetProperty("parameters").TryGetProperty("x", out _)));
        Assert.Equal(16, json.RootElement.GetProperty("completed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("pruned").GetInt32());

        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.Contains($"pareto front of f1 (min), f2 (min): {front.Count} trial(s)", text.Stdout, StringComparison.Ordinal);
        await AssertHypervolumeAsync(json.RootElement, text.Stdout, feasible: v => v.GetProperty("x_value").GetDouble() <= 2.5);

        var exported = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json");
        using var trials = JsonDocument.Parse(exported.Stdout);
        foreach (var trial in trials.RootElement.EnumerateArray())
        {
            var parameters = trial.GetProperty("parameters");
            var deep = parameters.GetProperty("branch").GetString() == "deep";
            Assert.Equal(deep, parameters.TryGetProperty("layers", out _));
            var metadata = trial.GetProperty("metadata");
            Assert.Equal(deep, metadata.GetProperty("deep").GetBoolean()); // {layers} expanded to "" when inactive
            Assert.Equal(front.Contains(trial.GetProperty("id").GetInt64()), trial.GetProperty("pareto").GetBoolean());
            Assert.Equal(0, trial.GetProperty("reports").GetArrayLength());
        }

        var csv = (await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv")).StdoutLines;
        Assert.StartsWith("id,state,branch,x,layers,f1,f2,x_value,worker,", csv[0], StringComparison.Ordinal);
        Assert.Contains(csv, l => l.Contains(",wide,", StringComparison.Ordinal) && l.Split(',')[4].Length == 0);
        Assert.Equal(front.Count, csv.Skip(1).Count(l => l.Contains(",true,0,,,,", StringComparison.Ordinal)));
    }

    /// <summary>
    /// status --json's hypervolume is the front's, from the nadir of the feasible completed trials plus 10 % of their
    /// range (computed here from export's values), and the text shows it.
    /// </summary>
    private async Task AssertHypervolumeAsync(JsonElement status, string text, Func<JsonElement, bool> feasible)
    {
        using var exported = JsonDocument.Parse((await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json")).Stdout);
        var trials = exported.RootElement.EnumerateArray()
            .Where(t => t.GetProperty("state").GetString() == "completed" && feasible(t.GetProperty("values"))).ToList();
        double[] Point(JsonElement t) => [t.GetProperty("values").GetProperty("f1").GetDouble(), t.GetProperty("values").GetProperty("f2").GetDouble()];
        var points = trials.Select(Point).ToList();
        var reference = Enumerable.Range(0, 2).Select(j => points.Max(p => p[j]) + (0.1 * (points.Max(p => p[j]) - points.Min(p => p[j])))).ToArray();
        var hypervolume = status.GetProperty("hypervolume");
        Assert.Equal(reference[0], hypervolume.GetProperty("reference_point").GetProperty("f1").GetDouble(), 9);
        Assert.Equal(reference[1], hypervolume.GetProperty("reference_point").GetProperty("f2").GetDouble(), 9);
        var expected = Hypervolume.Of(trials.Where(t => t.GetProperty("pareto").GetBoolean()).Select(Point), reference);
        Assert.True(expected > 0);
        Assert.Equal(expected, hypervolume.GetProperty("value").GetDouble(), 9);
        Assert.Contains($"hypervolume {expected.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)} (reference point f1 = ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gp_runs_a_two_objective_study_and_status_shows_its_front_and_hypervolume()
    {
        var study = _w.Write("gp2.json", """
            {"name": "gp2", "parameters": [{"name": "x", "type": "double", "bounds": {"min": -1, "max": 3}},
                                           {"name": "y", "type": "double", "bounds": {"min": 0, "max": 1}}],
             "metrics": [{"name": "f1", "objective": "minimize"}, {"name": "f2", "objective": "minimize"}],
             "observation_budget": 14, "parallel_bandwidth": 2, "algorithm": {"name": "gp", "seed": 4, "multi_objective": "ehvi"}}
            """);
        var objective = _w.Write("gp2.py", """
            import json, sys
            x, y = float(sys.argv[1]), float(sys.argv[2])
            print(json.dumps({"metrics": {"f1": x * x + y, "f2": (x - 2) ** 2 + y}}))
            """);
        var run = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--workers", "2",
            "--command", Workspace.Python, objective, "{x}", "{y}");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal(14, json.RootElement.GetProperty("completed").GetInt32());
        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        await AssertHypervolumeAsync(json.RootElement, text.Stdout, feasible: _ => true);
        var csv = (await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv")).StdoutLines;
        Assert.Equal(json.RootElement.GetProperty("pareto_front").GetArrayLength(), csv.Skip(1).Count(l => l.Contains(",true,0,", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_single_objective_status_has_no_hypervolume()
    {
        WriteReportingCheckpoint();
        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("hypervolume").ValueKind);
        Assert.DoesNotContain("hypervolume", (await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint)).Stdout, StringComparison.Ordinal);
    }

    /// <summary>A checkpoint whose trials reported, one pruned, one placed in a population: what a PBT or early-stopping master writes.</summary>
    private void WriteReportingCheckpoint()
    {
        var study = new StudyDefinition("reports", [HpcTune.Space.ParameterDefinition.Double("x", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 5, 3, null, new AlgorithmSpec("sobol", 2));
        using var checkpoint = Checkpoint.Create(_w.Checkpoint, study);
        var tuner = checkpoint.CreateTuner();
        var pruned = tuner.Suggest("w1").Trial!;
        var open = tuner.Suggest("w2").Trial!;
        tuner.ReportProgress(pruned.Id, 1, new Dictionary<string, double> { ["loss"] = 0.9 });
        tuner.ReportProgress(pruned.Id, 3, new Dictionary<string, double> { ["loss"] = 0.7 });
        tuner.Prune(pruned.Id, "asha: below its rung");
        tuner.ReportProgress(open.Id, 7, new Dictionary<string, double> { ["loss"] = 0.2 });
        var spawned = new TrialCreated(3, open.Assignment, "w3", DateTimeOffset.UnixEpoch, new HpcTune.Trials.TrialLineage(1, 2, open.Id, "ckpt/trial-3/checkpoint"));
        checkpoint.Writer.Append(spawned);
    }

    [Fact]
    public async Task Status_and_export_show_reports_pruned_trials_and_lineage()
    {
        WriteReportingCheckpoint();
        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("pruned 1 (they count toward the budget)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("reports 3 from 2 trial(s)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("open trial 2 (w2): last step 7: loss = 0.2", text.Stdout, StringComparison.Ordinal);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        Assert.Equal((1, 3), (json.RootElement.GetProperty("pruned").GetInt32(), json.RootElement.GetProperty("reports").GetInt32()));
        var openTrials = json.RootElement.GetProperty("open_trials").EnumerateArray().ToList();
        Assert.Equal([(2L, 7L), (3L, -1L)], openTrials.Select(t => (t.GetProperty("id").GetInt64(), t.GetProperty("last_step").ValueKind == JsonValueKind.Null ? -1 : t.GetProperty("last_step").GetInt64())));

        var exported = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json");
        using var trials = JsonDocument.Parse(exported.Stdout);
        var first = trials.RootElement[0];
        Assert.Equal("pruned", first.GetProperty("state").GetString());
        Assert.Equal(0.7, first.GetProperty("values").GetProperty("loss").GetDouble());
        Assert.Equal([1L, 3L], first.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("step").GetInt64()));
        var lineage = trials.RootElement[2].GetProperty("lineage");
        Assert.Equal((1, 2, 2L, "ckpt/trial-3/checkpoint"), (lineage.GetProperty("member").GetInt32(), lineage.GetProperty("generation").GetInt32(),
            lineage.GetProperty("parent").GetInt64(), lineage.GetProperty("checkpoint_dir").GetString()));

        var rows = (await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv", "--reports")).StdoutLines;
        Assert.Equal("id,state,step,time,loss,member,generation", rows[0]);
        Assert.Equal(["1,pruned,1,", "1,pruned,3,", "2,open,7,"], rows.Skip(1).Select(r => string.Join(',', r.Split(',').Take(3)) + ","));
        Assert.Equal(["0.9", "0.7", "0.2"], rows.Skip(1).Select(r => r.Split(',')[^3]));

        var csv = (await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv")).StdoutLines;
        Assert.EndsWith(",false,0,1,2,2,ckpt/trial-3/checkpoint,,", csv[3], StringComparison.Ordinal);
        Assert.Contains(",asha: below its rung,", csv[1], StringComparison.Ordinal);
    }

    /// <summary>Early stopping's rule in a test study: it never stops anyone (the tests prune by hand), and takes any option.</summary>
    private sealed class NeverStops : HpcTune.Scheduling.IEarlyStoppingProvider, HpcTune.Scheduling.IEarlyStopping
    {
        public static readonly NeverStops Rule = new();

        public string Name => "never-stops";

        public void Validate(StudyDefinition definition)
        {
        }

        public HpcTune.Scheduling.IEarlyStopping Create(StudyDefinition definition) => this;

        public HpcTune.Scheduling.StopDecision Decide(HpcTune.Sampling.StudySnapshot study, HpcTune.Trials.Trial trial) => HpcTune.Scheduling.StopDecision.Continue;
    }

    /// <summary>
    /// A population of two members in its second generation, as a PBT master under early stopping writes it: generation
    /// 0 done (each member trained steps 0-5), both members of generation 1 continuing from trial 2's checkpoint, trial
    /// 3 having reported step 7 and trial 4 nothing yet.
    /// </summary>
    private void WritePopulationCheckpoint()
    {
        HpcTune.Scheduling.EarlyStoppingRegistry.Default.Add(NeverStops.Rule);
        var study = new StudyDefinition("population", [HpcTune.Space.ParameterDefinition.Double("lr", 0, 1)],
            [new MetricDefinition("loss", MetricObjective.Minimize)], 8, 2, null, new AlgorithmSpec("sobol", 2),
            earlyStopping: new EarlyStoppingSpec("never-stops").WithOption("min_trials", 1));
        using var checkpoint = Checkpoint.Create(_w.Checkpoint, study);
        var at = DateTimeOffset.UnixEpoch;
        var lr = (double value) => new HpcTune.Space.Assignment(["lr"], [HpcTune.Values.Scalar.FromNumber(value)]);
        var noMetadata = new Dictionary<string, HpcTune.Values.Scalar>();
        foreach (var member in new[] { 0, 1 })
        {
            var id = member + 1L;
            checkpoint.Writer.Append(new TrialCreated(id, lr(0.1 * id), $"w{member}", at, new HpcTune.Trials.TrialLineage(member, 0, null, $"checkpoints/trial-{id}", 0, 5)));
            checkpoint.Writer.Append(new TrialReported(id, 5, new Dictionary<string, double> { ["loss"] = 1.0 / id }, at));
            checkpoint.Writer.Append(new TrialObserved(id, new Dictionary<string, double> { ["loss"] = 1.0 / id }, noMetadata, at));
        }

        checkpoint.Writer.Append(new TrialCreated(3, lr(0.25), "w0", at, new HpcTune.Trials.TrialLineage(0, 1, 2, "checkpoints/trial-3", 5, 10)));
        checkpoint.Writer.Append(new TrialCreated(4, lr(0.2), "w1", at, new HpcTune.Trials.TrialLineage(1, 1, 2, "checkpoints/trial-4", 5, 10)));
        checkpoint.Writer.Append(new TrialReported(3, 7, new Dictionary<string, double> { ["loss"] = 0.25 }, at));
    }

    [Fact]
    public async Task Status_shows_the_rule_each_open_trial_s_last_report_and_the_population_s_generations()
    {
        WritePopulationCheckpoint();
        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.True(text.ExitCode == 0, text.Stderr);
        Assert.Contains("  early stopping never-stops (min_trials 1)\n", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("    open trial 3 (w0): last step 7: loss = 0.25\n", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("  population of 2 members, generations 2 begun, 1 complete\n", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("    generation 1: 0/2 done, 2 running, 0 to run again, 0 failed or stopped\n", text.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("generation 0:", text.Stdout, StringComparison.Ordinal);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        using var json = JsonDocument.Parse(status.Stdout);
        var root = json.RootElement;
        Assert.Equal(("never-stops", 1), (root.GetProperty("early_stopping").GetProperty("name").GetString(), root.GetProperty("early_stopping").GetProperty("min_trials").GetInt32()));
        var open = root.GetProperty("open_trials").EnumerateArray().ToList();
        Assert.Equal(0.25, open[0].GetProperty("last_values").GetProperty("loss").GetDouble());
        Assert.Equal(JsonValueKind.Null, open[1].GetProperty("last_values").ValueKind);
        var population = root.GetProperty("population");
        Assert.Equal(2, population.GetProperty("population_size").GetInt32());
        Assert.Equal([(0, 2, 0), (1, 0, 2)], population.GetProperty("by_generation").EnumerateArray()
            .Select(g => (g.GetProperty("generation").GetInt32(), g.GetProperty("done").GetInt32(), g.GetProperty("open").GetInt32())));

        var csv = (await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv")).StdoutLines;
        Assert.EndsWith(",member,generation,parent,checkpoint_dir,start_step,end_step", csv[0], StringComparison.Ordinal);
        Assert.EndsWith(",0,1,2,checkpoints/trial-3,5,10", csv[3], StringComparison.Ordinal);
        Assert.EndsWith(",1,0,,checkpoints/trial-2,0,5", csv[2], StringComparison.Ordinal);

        var exported = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json");
        using var trials = JsonDocument.Parse(exported.Stdout);
        var lineage = trials.RootElement[3].GetProperty("lineage");
        Assert.Equal((1, 1, 2L, 5L, 10L), (lineage.GetProperty("member").GetInt32(), lineage.GetProperty("generation").GetInt32(),
            lineage.GetProperty("parent").GetInt64(), lineage.GetProperty("start_step").GetInt64(), lineage.GetProperty("end_step").GetInt64()));

        var reports = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json", "--reports");
        Assert.True(reports.ExitCode == 0, reports.Stderr);
        using var rows = JsonDocument.Parse(reports.Stdout);
        Assert.Equal([(1L, 5L, 0, 0), (2L, 5L, 1, 0), (3L, 7L, 0, 1)], rows.RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("id").GetInt64(), r.GetProperty("step").GetInt64(), r.GetProperty("member").GetInt32(), r.GetProperty("generation").GetInt32())));
        Assert.Equal(0.25, rows.RootElement[2].GetProperty("values").GetProperty("loss").GetDouble());
    }
}
