using System.Text.Json;
using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Tests.Journal;
using HpcTune.Values;

namespace HpcTune.Tests.Objectives;

/// <summary>Runs real programs: Debian's /usr/bin/python3 and /bin/sh.</summary>
public sealed class CommandObjectiveTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly TempDirectory _dir = new();

    private static readonly SearchSpace Space = new([
        ParameterDefinition.Double("lr", 1e-4, 1, Transformation.Log),
        ParameterDefinition.Int("layers", 1, 8),
        ParameterDefinition.Categorical("act", "relu", "\"; rm -rf ~", "$(touch CANARY)", "a b"),
    ]);

    public void Dispose() => _dir.Dispose();

    private string Script(string name, string body)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, body);
        return path;
    }

    private CommandObjective Objective(IReadOnlyList<string> argv, TimeSpan? timeout = null) =>
        new(Space, "loss", new CommandObjectiveOptions(argv, _dir.Combine("trials"), timeout));

    private static Task<ObjectiveResult> Evaluate(CommandObjective objective, string act, long id = 7) =>
        objective.EvaluateAsync(new TrialContext(id, Space.CreateAssignment(new Dictionary<string, Scalar> { ["lr"] = 0.01, ["layers"] = 3, ["act"] = act }), "w", 1), TestContext.Current.CancellationToken).AsTask();

    [Theory]
    [InlineData("\"; rm -rf ~")]
    [InlineData("$(touch CANARY)")]
    [InlineData("a b")]
    public async Task Values_reach_the_program_as_single_literal_arguments(string act)
    {
        var script = Script("argv.py", """
            import sys, json, os
            json.dump(sys.argv[1:], open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "argv.json"), "w"))
            print(1.5)
            """);
        var result = await Evaluate(Objective([Python, script, "--act", "{act}", "x{layers}y", "{lr}"]), act);
        Assert.False(result.IsFailure, result.FailureReason);
        var argv = JsonSerializer.Deserialize<string[]>(File.ReadAllText(_dir.Combine("trials", "trial-7", "argv.json")));
        Assert.Equal(["--act", act, "x3y", "0.01"], argv!);
        Assert.False(File.Exists(_dir.Combine("CANARY")));
        Assert.False(File.Exists(Path.Combine(Environment.CurrentDirectory, "CANARY")));
    }

    [Fact]
    public async Task The_environment_and_params_file_describe_the_trial()
    {
        var script = Script("env.py", """
            import os, json
            p = json.load(open(os.environ["HPCTUNE_PARAMS_FILE"]))
            assert p == {"lr": 0.01, "layers": 3, "act": "\"; rm -rf ~"}, p
            assert os.environ["HPCTUNE_PARAM_LR"] == "0.01"
            assert os.environ["HPCTUNE_PARAM_ACT"] == "\"; rm -rf ~"
            assert os.environ["HPCTUNE_TRIAL_ID"] == "7"
            assert os.path.isdir(os.environ["HPCTUNE_TRIAL_DIR"])
            print("noise")
            print('{"loss": 0.25, "aux": 3}')
            print("   ")
            """);
        var result = await Evaluate(Objective([Python, script, "{params_file}", "{trial_id}", "{trial_dir}"]), "\"; rm -rf ~");
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(0.25, result.Values!["loss"]);
        Assert.Equal(3, result.Values["aux"]);
    }

    [Fact]
    public async Task A_result_json_file_wins_over_stdout()
    {
        var script = Script("file.py", """
            import os
            open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "result.json"), "w").write('{"loss": -2}')
            print(99)
            """);
        var result = await Evaluate(Objective([Python, script]), "relu");
        Assert.Equal(-2, result.Values!["loss"]);
    }

    [Theory]
    [InlineData("import sys; sys.stderr.write('line1\\nCUDA out of memory\\n'); sys.exit(3)", "exit code 3; stderr: line1\nCUDA out of memory")]
    [InlineData("print('hello')", "'hello' is neither a number nor a JSON object")]
    [InlineData("pass", "empty; print the objective value")]
    [InlineData("print('nan')", "metric 'loss' is NaN")]
    [InlineData("print('{\"loss\": \"low\"}')", "metric 'loss' is string \"low\", not a number")]
    [InlineData("print('{\"loss\": 1')", "not valid JSON")]
    public async Task Failures_record_the_reason_and_the_end_of_stderr(string code, string expected)
    {
        var result = await Evaluate(Objective([Python, Script("fail.py", code)]), "relu");
        Assert.True(result.IsFailure);
        Assert.Contains(expected, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree()
    {
        var pidFile = _dir.Combine("grandchild.pid");
        var script = Script("hang.sh", $"""
            sleep 1000 &
            echo $! > {pidFile}
            wait
            """);
        var result = await Evaluate(Objective(["/bin/sh", script], TimeSpan.FromSeconds(1)), "relu");
        Assert.True(result.IsFailure);
        Assert.Contains("timed out after 1 s", result.FailureReason, StringComparison.Ordinal);
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(CommandKit.ProcessGone(grandchild), $"the grandchild {grandchild} survived");
    }

    [Fact]
    public void Unknown_placeholders_and_missing_programs_are_caught_before_any_trial()
    {
        var e = Assert.Throws<ArgumentException>(() => Objective([Python, "x.py", "{learning_rate}"]));
        Assert.Contains("unknown placeholder {learning_rate}", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Objective(["no-such-program-hpctune"]));
        Assert.Contains("'no-such-program-hpctune' not found", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => Objective([]));
        Assert.Contains("needs a program", e.Message, StringComparison.Ordinal);
        _ = Objective([Python, "-c", "{\"json\": 1}"]); // braces that are not a name stay literal
    }
}
