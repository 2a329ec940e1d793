using System.Text.Json;
using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Tests.Journal;
using HpcTune.Values;

namespace HpcTune.Tests.Model;

/// <summary>The command objective with the second edition's model: metadata in the result, inactive parameters absent. Runs /usr/bin/python3.</summary>
public sealed class CommandModelTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly TempDirectory _dir = new();
    private static readonly SearchSpace Space = ModelStudies.Conditional().Space;

    public void Dispose() => _dir.Dispose();

    private string Script(string body)
    {
        var path = _dir.Combine("objective.py");
        File.WriteAllText(path, body);
        return path;
    }

    private Task<ObjectiveResult> Evaluate(IReadOnlyList<string> argv, Assignment assignment) =>
        new CommandObjective(Space, "loss", new CommandObjectiveOptions(argv, _dir.Combine("trials")))
            .EvaluateAsync(new TrialContext(3, assignment, "w", 1), TestContext.Current.CancellationToken).AsTask();

    private static Assignment Shallow => Space.CreateAssignment(new Dictionary<string, Scalar> { ["depth"] = "2", ["opt"] = "sgd", ["lr"] = 0.01, ["momentum"] = 0.9 });

    [Fact]
    public async Task A_result_with_metrics_and_metadata_records_strings_numbers_and_booleans()
    {
        var script = Script("""print('{"metrics": {"loss": 0.25}, "metadata": {"device": "gpu0", "epochs": 12, "converged": true, "cached": false}}')""");
        var result = await Evaluate([Python, script], Shallow);
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(0.25, result.Values!["loss"]);
        Assert.Equal("gpu0", result.Metadata["device"].Text);
        Assert.Equal(12, result.Metadata["epochs"].Number);
        Assert.True(result.Metadata["converged"].Boolean);
        Assert.False(result.Metadata["cached"].Boolean);
        Assert.True(result.Metadata.ContainsKey("duration_s"));
    }

    [Fact]
    public async Task The_metrics_form_works_in_result_json_and_the_flat_form_keeps_working()
    {
        var wrapped = Script("""
            import json, os
            json.dump({"metrics": {"loss": 1.5}, "metadata": {"note": "from a file"}}, open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "result.json"), "w"))
            """);
        var result = await Evaluate([Python, wrapped], Shallow);
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal((1.5, "from a file"), (result.Values!["loss"], result.Metadata["note"].Text));

        var flat = Script("""print('{"loss": 2.5, "aux": 1}')""");
        result = await Evaluate([Python, flat], Shallow);
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(2.5, result.Values!["loss"]);
    }

    [Theory]
    [InlineData("""{"loss": 0.5, "device": "gpu0"}""", "metric 'device' is string \"gpu0\", not a number; to record other values with the result, print {\"metrics\": {...}, \"metadata\": {...}}")]
    [InlineData("""{"metrics": {"loss": 0.5}, "metadata": {"shape": [1, 2]}}""", "metadata 'shape' is array [1, 2], not a string, a finite number or a boolean")]
    [InlineData("""{"metrics": {"loss": 0.5}, "metadata": 3}""", "\"metadata\" is number, not an object")]
    [InlineData("""{"metrics": {"loss": 0.5}, "notes": {}}""", "unknown key 'notes' next to \"metrics\"")]
    [InlineData("""{"metrics": {"loss": "low"}}""", "metric 'metrics.loss' is string \"low\", not a number")]
    public async Task A_bad_result_fails_the_trial_naming_what_is_wrong(string line, string problem)
    {
        var script = Script($"print('{line}')");
        var result = await Evaluate([Python, script], Shallow);
        Assert.True(result.IsFailure);
        Assert.Contains(problem, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inactive_parameter_is_absent_from_the_params_file_and_the_environment_and_its_placeholder_is_empty()
    {
        var script = Script("""
            import json, os, sys
            env = {k: v for k, v in os.environ.items() if k.startswith("HPCTUNE_PARAM_")}
            params = json.load(open(os.environ["HPCTUNE_PARAMS_FILE"]))
            json.dump({"argv": sys.argv[1:], "env": env, "params": params}, open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "seen.json"), "w"))
            print(0.5)
            """);
        var result = await Evaluate([Python, script, "--units={units3}", "{beta3}", "{momentum}", "{depth}"], Shallow);
        Assert.False(result.IsFailure, result.FailureReason);
        using var seen = JsonDocument.Parse(File.ReadAllText(_dir.Combine("trials", "trial-3", "seen.json")));
        Assert.Equal(["--units=", "", "0.9", "2"], seen.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["HPCTUNE_PARAM_DEPTH", "HPCTUNE_PARAM_LR", "HPCTUNE_PARAM_MOMENTUM", "HPCTUNE_PARAM_OPT"],
            seen.RootElement.GetProperty("env").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["depth", "opt", "lr", "momentum"], seen.RootElement.GetProperty("params").EnumerateObject().Select(p => p.Name));
    }
}
