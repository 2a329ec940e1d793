using HpcTune.Journal;

namespace HpcTune.Cli.Tests;

/// <summary>
/// A worker rank starts with only what it uses: no linear algebra (libhpctune_la, OpenBLAS) and no console log
/// provider (its writer thread) while it has nothing to log. Real <c>mpiexec</c> ranks; each trial's objective looks
/// at the rank that started it (its parent process) and reports what that rank has mapped and which threads it runs.
/// </summary>
[Collection("mpi")]
public sealed class MpiWorkerStartTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Worker_ranks_load_no_linear_algebra_and_no_log_provider()
    {
        // setsid execs the objective, so its parent is the worker rank's own process.
        var probe = _w.Write("probe.sh", """
            maps=/proc/$PPID/maps
            la=$(grep -c -e libhpctune_la -e libopenblas "$maps")
            mpi=$(grep -c libhpctune_mpi "$maps")
            logger=$(cat /proc/$PPID/task/*/comm | grep -c 'Console logger')
            echo "{\"metrics\": {\"loss\": 0}, \"metadata\": {\"la\": $la, \"mpi\": $mpi, \"logger\": $logger}}"
            """);
        var study = _w.Study(budget: 4, bandwidth: 2);
        var result = await MpiLauncher.RunAsync(_w.Path, 3, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/sh", probe);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        Assert.Equal(4, trials.Count(t => t.Metadata.ContainsKey("la")));
        Assert.All(trials, t => Assert.True(t.Metadata["mpi"].Number > 0, "the probe must see the rank's MPI shim, or it looks at the wrong process"));
        Assert.All(trials, t => Assert.Equal(0, t.Metadata["la"].Number));
        Assert.All(trials, t => Assert.Equal(0, t.Metadata["logger"].Number));
        // The master still chooses its linear algebra and says so, once: the workers no longer do.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(result.Stderr, "linear algebra: "));
    }
}
