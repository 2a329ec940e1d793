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
        Assert.Equal(16, json.RootElement.GetProperty("completed").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("pruned").GetInt32());

        var text = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.Contains($"pareto front of f1 (min), f2 (min): {front.Count} trial(s)", text.Stdout, StringComparison.Ordinal);

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
        Assert.Contains("open trial 2 (w2): last step 7", text.Stdout, StringComparison.Ordinal);

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
        Assert.Equal("id,state,step,time,loss", rows[0]);
        Assert.Equal(["1,pruned,1,", "1,pruned,3,", "2,open,7,"], rows.Skip(1).Select(r => string.Join(',', r.Split(',').Take(3)) + ","));
        Assert.Equal(["0.9", "0.7", "0.2"], rows.Skip(1).Select(r => r.Split(',')[^1]));

        var csv = (await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv")).StdoutLines;
        Assert.EndsWith(",false,0,1,2,2,ckpt/trial-3/checkpoint", csv[3], StringComparison.Ordinal);

        var refused = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json", "--reports");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--reports goes with --format csv", refused.Stderr, StringComparison.Ordinal);
    }
}
