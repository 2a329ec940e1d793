namespace HpcTune.Tests.Objectives;

/// <summary>
/// A trial ends when its objective exits (issue 23, item 4): children it left behind, holding standard output open
/// or not, in its process group or in a session of their own, are killed, and the result counts.
/// </summary>
public sealed class CommandProcessTreeTests : IDisposable
{
    private readonly CommandKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Theory]
    [InlineData("sleep 1000 &")]                // holds standard output, same process group
    [InlineData("setsid sleep 1000 &")]         // holds standard output, a session of its own
    [InlineData("sleep 1000 >/dev/null 2>&1 &")] // holds nothing, same process group
    public async Task The_result_counts_when_the_objective_exits_and_its_children_are_killed(string child)
    {
        var pidFile = _kit.Combine("child.pid");
        var script = _kit.Script("leave.sh", $"""
            {child}
            echo $! > {pidFile}
            echo 1.0
            """);
        // Far longer than the objective needs: the result must not wait for the child.
        var result = await CommandKit.Evaluate(_kit.Objective(["/bin/sh", script], TimeSpan.FromSeconds(15)));
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(1.0, result.Values!["loss"]);
        var pid = CommandKit.ReadPid(pidFile);
        Assert.True(CommandKit.ProcessGone(pid), $"the child {pid} survived its objective");
    }

    [Fact]
    public async Task A_failing_objective_also_takes_its_children_along()
    {
        var pidFile = _kit.Combine("child.pid");
        var script = _kit.Script("fail.sh", $"""
            sleep 1000 &
            echo $! > {pidFile}
            echo "gave up" >&2
            exit 5
            """);
        var result = await CommandKit.Evaluate(_kit.Objective(["/bin/sh", script], TimeSpan.FromSeconds(15)));
        Assert.True(result.IsFailure);
        Assert.Contains("exit code 5; stderr: gave up", result.FailureReason, StringComparison.Ordinal);
        Assert.True(CommandKit.ProcessGone(CommandKit.ReadPid(pidFile)), "the child survived its objective");
    }
}
