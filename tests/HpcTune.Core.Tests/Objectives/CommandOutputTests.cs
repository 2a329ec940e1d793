namespace HpcTune.Tests.Objectives;

/// <summary>
/// What an objective prints is read through bounded tails (issue 23, item 3): a result after a huge line is still
/// found, a result line or result.json past the cap fails the trial naming the cap, and duplicate keys are refused.
/// </summary>
public sealed class CommandOutputTests : IDisposable
{
    private readonly CommandKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private async Task<HpcTune.Objectives.ObjectiveResult> RunPython(string code) =>
        await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, _kit.Script("objective.py", code)]));

    [Fact]
    public async Task The_result_after_a_50_MB_line_is_found()
    {
        var result = await RunPython("""
            import sys
            sys.stdout.write("x" * 50_000_000 + "\n")
            print(1.5)
            """);
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(1.5, result.Values!["loss"]);
    }

    [Fact]
    public async Task A_50_MB_last_line_fails_naming_the_cap()
    {
        // Digits: read whole, this line would parse as a number (an infinite one).
        var result = await RunPython("""
            import sys
            print(0.5)
            sys.stdout.write("1" + "0" * 50_000_000 + "\n")
            """);
        Assert.True(result.IsFailure);
        Assert.Contains("the last line of standard output is 50000001 bytes, longer than the 1 MiB cap", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_huge_stderr_line_leaves_a_short_tail()
    {
        var result = await RunPython("""
            import sys
            sys.stderr.write("e" * 20_000_000 + "\nlast words\n")
            sys.exit(4)
            """);
        Assert.True(result.IsFailure);
        Assert.Contains("exit code 4", result.FailureReason, StringComparison.Ordinal);
        Assert.EndsWith("last words", result.FailureReason, StringComparison.Ordinal);
        Assert.True(result.FailureReason!.Length < 2_000, $"{result.FailureReason.Length} characters of reason");
    }

    [Fact]
    public async Task A_result_json_past_the_cap_fails_naming_the_cap()
    {
        var result = await RunPython("""
            import os
            open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "result.json"), "w").write("1" + " " * 2_000_000)
            """);
        Assert.True(result.IsFailure);
        Assert.Contains("result.json is 2000001 bytes, more than the 1 MiB cap", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("print('{\"loss\": 1, \"loss\": 2}')", "the last line of standard output: metric 'loss' appears twice")]
    [InlineData("print('{\"aux\": 1, \"loss\": 3, \"\\\\u0061ux\": 2}')", "metric 'aux' appears twice")]
    [InlineData("import os; open(os.path.join(os.environ['HPCTUNE_TRIAL_DIR'], 'result.json'), 'w').write('{\"loss\": 1, \"loss\": 2}')", "result.json: metric 'loss' appears twice")]
    public async Task A_metric_given_twice_fails_the_trial(string code, string expected)
    {
        var result = await RunPython(code);
        Assert.True(result.IsFailure);
        Assert.Contains(expected, result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sys.stdout.write('noise\\r\\n2.5\\r\\n')")]
    [InlineData("sys.stdout.write('epoch 1\\repoch 2\\r2.5')")] // a progress counter, then the result with no newline
    [InlineData("sys.stdout.write('2.5\\n  \\n\\n')")]
    public async Task Line_ends_are_those_of_a_text_reader(string code)
    {
        var result = await RunPython($"import sys; {code}");
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(2.5, result.Values!["loss"]);
    }
}
