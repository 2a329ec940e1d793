using System.Diagnostics;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>64 ranks on 2 cores need the machine to themselves: this collection runs alone.</summary>
[CollectionDefinition("mpi", DisableParallelization = true)]
public sealed class MpiRanksRunAlone;

/// <summary>Real <c>mpiexec</c> (OpenMPI) ranks running HpcTune.dll: rank 0 the master, the rest workers.</summary>
[Collection("mpi")]
public sealed class MpiRunTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private Task<HpcTuneProcess.Result> MpiExec(int ranks, params string[] arguments) => MpiLauncher.RunAsync(_w.Path, ranks, arguments);

    [Fact]
    public async Task Sixty_four_ranks_meet_the_budget_and_every_worker_contributes()
    {
        var study = _w.Write("branin.json", """
            {"name": "mpi64", "parameters": [{"name": "x1", "bounds": {"min": -5, "max": 10}}, {"name": "x2", "bounds": {"min": 0, "max": 15}}],
             "metrics": [{"name": "value", "objective": "minimize"}], "observation_budget": 500, "parallel_bandwidth": 63, "algorithm": {"name": "random", "seed": 1}}
            """);
        var clock = Stopwatch.StartNew();
        var result = await MpiExec(64, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--objective", "builtin:branin");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal(500, contents.State.CompletedCount);
        Assert.Equal(500, contents.State.Trials.Count);
        Assert.DoesNotContain(contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId), g => g.Count() > 1);
        Assert.Equal(500, contents.State.Trials.Select(t => t.Assignment).Distinct().Count());
        var ranks = contents.State.Trials.Select(t => t.Metadata["rank"].Number).ToHashSet();
        Assert.Equal(Enumerable.Range(1, 63).Select(r => (double)r).ToHashSet(), ranks);
        Assert.All(contents.State.Trials, t => Assert.True(t.Metadata.ContainsKey("hostname")));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"took {clock.Elapsed}");
    }

    /// <param name="cores">
    /// The cores the ranks are told they have (DOTNET_PROCESSOR_COUNT): 8 ÷ 4 ranks leaves the master a core to spare
    /// (two BLAS threads per rank); 4 ÷ 4 does not.
    /// </param>
    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public async Task Four_ranks_run_the_gp_with_a_command_objective(int cores)
    {
        var study = _w.Study(budget: 16, bandwidth: 3, algorithm: "gp");
        var side = _w.Combine("side.txt");
        var environment = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = cores.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var result = await MpiLauncher.RunAsync(_w.Path, 4, environment, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(16, state.CompletedCount);
        Assert.Equal(16, File.ReadAllLines(side).Length);
        Assert.Equal(3, state.Trials.Select(t => t.Worker).Distinct().Count());
        Assert.Equal(16, state.Trials.Select(t => t.Assignment).Distinct().Count()); // never the same point twice, prepared ahead or on the spot
        Assert.Contains("completed: 16/16", result.Stdout, StringComparison.Ordinal);
        var share = cores / 4; // unbound (--oversubscribe), the 4 ranks share the cores
        Assert.Contains(share == 1 ? "; 1 BLAS thread)" : $"; {share} BLAS threads)", result.Stderr, StringComparison.Ordinal);
        var cpu = System.Text.RegularExpressions.Regex.Match(result.Stderr, @"master CPU ([0-9.]+) s in ([0-9.]+) s since every rank was ready");
        Assert.True(cpu.Success, result.Stderr);
        Assert.InRange(double.Parse(cpu.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.001, 100); // the GP's work shows
    }

    [Fact]
    public async Task With_twice_the_bandwidth_each_rank_holds_two_suggestions()
    {
        var study = _w.Study(budget: 30, bandwidth: 6);
        var side = _w.Combine("side.txt");
        var result = await MpiExec(4, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Equal((30, 30), (contents.State.CompletedCount, contents.State.Trials.Count));
        Assert.DoesNotContain(contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId), g => g.Count() > 1);
        string[] slots = ["rank-1", "rank-1.1", "rank-2", "rank-2.1", "rank-3", "rank-3.1"];
        Assert.Equal(slots, contents.Events.OfType<TrialCreated>().Select(e => e.Worker).Distinct().Order());

        // OpenMPI gives each rank a pseudo-terminal for stdout; none of what mpiexec passes on is a terminal code.
        Assert.DoesNotContain('\u001b', result.Stdout);
        Assert.DoesNotContain('\u001b', result.Stderr);

        // status counts the trials per rank slot, as the journal names them.
        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(status.Stdout);
        var workers = json.RootElement.GetProperty("workers").EnumerateArray().ToDictionary(w => w.GetProperty("worker").GetString()!, w => w.GetProperty("trials").GetInt32());
        Assert.Equal(30, workers.Values.Sum());
        Assert.Equal(contents.State.Trials.GroupBy(t => t.Worker).ToDictionary(g => g.Key, g => g.Count()), workers);
    }

    [Fact]
    public async Task Ranks_started_from_a_terminal_write_no_terminal_codes_into_redirected_output()
    {
        // stdin on a pseudo-terminal, as when a user starts mpiexec by hand with its output sent to files.
        var study = _w.Study(budget: 6, bandwidth: 2);
        string[] run = ["mpiexec", "--oversubscribe", "-n", "3", "dotnet", HpcTuneProcess.DllPath, "run", "--study", study, "--checkpoint", _w.Checkpoint,
            "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt")];
        var command = $"{string.Join(' ', run.Select(PseudoTerminal.Quote))} > out.txt 2> err.txt";
        var result = await PseudoTerminal.RunAsync(_w.Path, command, new Dictionary<string, string> { ["TERM"] = "xterm" });
        Assert.True(result.ExitCode == 0, result.Stdout + File.ReadAllText(_w.Combine("err.txt")));
        Assert.DoesNotContain((byte)0x1b, File.ReadAllBytes(_w.Combine("out.txt")));
        Assert.DoesNotContain((byte)0x1b, File.ReadAllBytes(_w.Combine("err.txt")));
        Assert.Contains("completed: 6/6", File.ReadAllText(_w.Combine("out.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_objective_that_always_fails_breaks_the_study_with_exit_1()
    {
        var study = _w.Study(budget: 20, bandwidth: 3, maxFailures: 4);
        var result = await MpiExec(4, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, "-c", "import sys; sys.exit('no license')");
        Assert.Equal(1, result.ExitCode);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(StudyStatus.Broken, state.Status);
        Assert.InRange(state.FailedCount, 4, 6);
        Assert.All(state.Trials.Where(t => t.State == TrialState.Failed), t => Assert.Contains("no license", t.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_study_on_the_master_stops_every_worker_and_exits_2()
    {
        var bad = _w.Write("bad.json", "{\"name\": \"x\"}");
        var result = await MpiExec(4, "run", "--study", bad, "--checkpoint", _w.Checkpoint, "--objective", "builtin:branin");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("parameters: missing", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_w.Checkpoint));
    }
}
