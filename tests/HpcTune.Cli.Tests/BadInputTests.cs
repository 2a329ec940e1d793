using HpcTune.Journal;

namespace HpcTune.Cli.Tests;

/// <summary>Every bad input exits 2 with a message naming the problem, and leaves no checkpoint behind.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    public static TheoryData<string, string[], string> Cases => new()
    {
        { "missing study file", ["run", "--study", "nope.json", "--checkpoint", "ckpt", "--objective", "builtin:branin"], "cannot read the study file" },
        { "study with unknown key", ["run", "--study", "unknown-key.json", "--checkpoint", "ckpt", "--objective", "builtin:branin"], "budgett: unknown key 'budgett'" },
        { "study that is not JSON", ["run", "--study", "garbage.json", "--checkpoint", "ckpt", "--objective", "builtin:branin"], "not valid JSON" },
        { "builtin that does not fit the study", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--objective", "builtin:branin"], "builtin:branin needs the numeric parameters x1, x2" },
        { "unknown builtin", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--objective", "builtin:sphere"], "unknown built-in objective 'sphere'" },
        { "objective without builtin: prefix", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--objective", "branin"], "--objective must be builtin:NAME" },
        { "no objective", ["run", "--study", "study.json", "--checkpoint", "ckpt"], "no objective" },
        { "both objectives", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--objective", "builtin:branin", "--command", "/bin/true"], "not both" },
        { "missing program", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--command", "/no/such/program", "{x}"], "program '/no/such/program' not found" },
        { "unknown placeholder", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--command", "/bin/echo", "{z}"], "unknown placeholder {z}" },
        { "empty command", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--command"], "needs a program" },
        { "negative timeout", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--trial-timeout", "-1", "--command", "/bin/echo"], "--trial-timeout must be a positive number" },
        { "zero workers", ["run", "--study", "study.json", "--checkpoint", "ckpt", "--workers", "0", "--command", "/bin/echo", "1"], "--workers must be at least 1" },
        { "missing checkpoint option", ["run", "--study", "study.json", "--command", "/bin/echo", "1"], "--checkpoint" },
        { "command for status", ["status", "--checkpoint", "ckpt", "--command", "/bin/echo"], "--command belongs to run and resume" },
        { "resume of nothing", ["resume", "--checkpoint", "ckpt"], "does not exist" },
        { "status of nothing", ["status", "--checkpoint", "ckpt"], "does not exist" },
        { "export in xml", ["export", "--checkpoint", "ckpt", "--format", "xml"], "xml" },
        { "unknown verb", ["tune"], "tune" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_exits_2_names_the_problem_and_creates_no_checkpoint(string what, string[] arguments, string expected)
    {
        _w.Study();
        _w.Write("unknown-key.json", File.ReadAllText(_w.Combine("study.json")).Replace("\"name\": \"cli-test\",", "\"name\": \"cli-test\", \"budgett\": 3,", StringComparison.Ordinal));
        _w.Write("garbage.json", "{\"name\": ");
        var result = await HpcTuneProcess.RunInAsync(_w.Path, arguments);
        Assert.True(result.ExitCode == 2, $"{what}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_w.Checkpoint), $"{what} left a checkpoint behind");
    }

    [Fact]
    public async Task Run_over_an_existing_study_is_refused_and_the_journal_is_untouched()
    {
        var study = _w.Study(budget: 3);
        Assert.Equal(0, (await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/echo", "1")).ExitCode);
        var journal = File.ReadAllBytes(Checkpoint.JournalPath(_w.Checkpoint));
        var again = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/echo", "1");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a study", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(journal, File.ReadAllBytes(Checkpoint.JournalPath(_w.Checkpoint)));
    }

    [Fact]
    public async Task Command_arguments_that_look_like_options_belong_to_the_program()
    {
        var study = _w.Study(budget: 2, bandwidth: 1);
        var script = _w.Write("opts.py", """
            import sys
            assert sys.argv[1:] == ["--checkpoint", "-u", "--help"], sys.argv
            print(0.5)
            """);
        var result = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, script, "--checkpoint", "-u", "--help");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Equal(2, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }
}
