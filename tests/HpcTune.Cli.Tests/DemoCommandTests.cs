namespace HpcTune.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task The_demo_runs_the_study_and_prints_one_line_per_trial_and_the_best()
    {
        var result = await HpcTuneProcess.RunAsync("demo", "--objective", "branin", "--budget", "12", "--workers", "3", "--seed", "5");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var trialLines = result.StdoutLines.Where(l => l.Contains("] trial ", StringComparison.Ordinal)).ToList();
        Assert.Equal(12, trialLines.Count);
        Assert.Contains(trialLines, l => l.Contains("done 12/12", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("study 'branin' completed: 12/12 completed, 0 failed", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("best trial ", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("x1 = ", StringComparison.Ordinal));
        Assert.Contains(result.StdoutLines, l => l.StartsWith("known minimum of branin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Diagnostics_written_to_a_file_carry_no_colour_codes_even_when_stdout_is_a_terminal()
    {
        // As in an interactive `srun ... 2> log`: stdout on a terminal (script's pseudo-terminal), stderr to a file.
        var log = Path.Combine(Path.GetTempPath(), $"hpctune-colour-{Guid.NewGuid():N}.log");
        try
        {
            var command = $"dotnet '{HpcTuneProcess.DllPath}' demo --budget 4 --workers 1 --algorithm sobol 2> '{log}'";
            var result = await External.RunAsync("script", ["-qec", command, "/dev/null"], TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, result.Output);
            var diagnostics = await File.ReadAllTextAsync(log, TestContext.Current.CancellationToken);
            Assert.Contains("info:", diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', diagnostics);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_best_trial()
    {
        var first = await HpcTuneProcess.RunAsync("demo", "--budget", "20", "--workers", "2", "--seed", "9", "--algorithm", "sobol");
        var second = await HpcTuneProcess.RunAsync("demo", "--budget", "20", "--workers", "2", "--seed", "9", "--algorithm", "sobol");
        string Best(HpcTuneProcess.Result r) => string.Join("\n", r.StdoutLines.SkipWhile(l => !l.StartsWith("best trial", StringComparison.Ordinal)));
        Assert.NotEmpty(Best(first));
        Assert.Equal(Best(first), Best(second));
    }

    [Theory]
    [InlineData(new[] { "demo", "--objective", "sphere" }, "unknown built-in objective 'sphere'")]
    [InlineData(new[] { "demo", "--workers", "0" }, "--workers must be at least 1")]
    [InlineData(new[] { "demo", "--budget", "0" }, "observation_budget")]
    [InlineData(new[] { "demo", "--algorithm", "tpe" }, "unknown algorithm 'tpe'")]
    [InlineData(new[] { "demo", "--budget", "ten" }, "ten")]
    [InlineData(new[] { "demo", "--bogus" }, "--bogus")]
    public async Task Bad_arguments_exit_2_and_name_the_problem(string[] arguments, string expected)
    {
        var result = await HpcTuneProcess.RunAsync(arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("run")]
    [InlineData("resume")]
    [InlineData("status")]
    [InlineData("export")]
    [InlineData("open")]
    public async Task Every_verb_has_help_with_an_example(string verb)
    {
        var result = await HpcTuneProcess.RunAsync(verb, "--help");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("Example:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--linalg", result.Stdout, StringComparison.Ordinal);
    }
}
