using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

/// <summary>A command objective whose result names the wrong metric stops <c>run</c> at once with exit 2, in process and under MPI.</summary>
[Collection("mpi")]
public sealed class ResultMismatchCliTests : IDisposable
{
    private const string WrongMetric = "import json; print(json.dumps({'lss': 1.0}))";
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task In_process_run_exits_2_naming_the_expected_and_received_metrics()
    {
        var result = await HpcTuneProcess.RunAsync("run", "--study", _w.Study(budget: 30, maxFailures: 30), "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, "-c", WrongMetric);
        AssertStopped(result);
        Assert.Contains("study 'cli-test': loss (minimize)", result.Stdout, StringComparison.Ordinal); // the direction, before any trial
    }

    [Fact]
    public async Task An_mpi_run_exits_2_naming_the_expected_and_received_metrics()
    {
        var result = await MpiLauncher.RunAsync(_w.Path, 3, "run", "--study", _w.Study(budget: 30, maxFailures: 30), "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, "-c", WrongMetric);
        AssertStopped(result);
    }

    private void AssertStopped(HpcTuneProcess.Result result)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("'lss'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'loss'", result.Stderr, StringComparison.Ordinal);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(0, state.FailedCount);
        Assert.InRange(state.Trials.Count, 1, 3); // stopped at the first such result, not after 30 failures
        Assert.All(state.Trials, t => Assert.Equal(TrialState.Interrupted, t.State));
    }
}
