using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>
/// A real one-node SLURM cluster (jobs/local-slurm.sh), brought up once for the collection and taken down after it
/// when it was not already running. It runs alone: its jobs put 4 ranks on the 2 cores.
/// </summary>
[CollectionDefinition("slurm", DisableParallelization = true)]
public sealed class SlurmRunsAlone : ICollectionFixture<LocalSlurm>;

/// <summary>Starts the local SLURM for the tests, or says why it cannot (not root, outside CI).</summary>
public sealed class LocalSlurm : IAsyncLifetime
{
    private bool _startedHere;

    /// <summary>The repository root: jobs/ and its scripts are there.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Script => Path.Combine(RepoRoot, "jobs", "local-slurm.sh");

    /// <summary>Why the tests cannot run here; null when SLURM is up.</summary>
    public string? SkipReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!IsRoot())
        {
            // CI runs as root; there a missing SLURM must fail the run, never pass it quietly.
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 })
            {
                throw new InvalidOperationException("the SLURM tests need root (jobs/local-slurm.sh installs and starts system daemons), and CI is set");
            }

            SkipReason = "the SLURM tests need root: jobs/local-slurm.sh installs slurm-wlm and munge and starts their daemons";
            return;
        }

        var status = await External.RunAsync("bash", [Script, "status"], TimeSpan.FromMinutes(1));
        _startedHere = !status.Output.Contains("slurmctld: running", StringComparison.Ordinal);
        var up = await External.RunAsync("bash", [Script, "up"], TimeSpan.FromMinutes(10)); // may apt-get install first
        if (up.ExitCode != 0)
        {
            throw new InvalidOperationException($"jobs/local-slurm.sh up failed with exit {up.ExitCode}:\n{up.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_startedHere)
        {
            // A cluster that ran before the tests (someone's own) is left running.
            await External.RunAsync("bash", [Script, "down"], TimeSpan.FromMinutes(2));
        }
    }

    private static bool IsRoot() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal)) is { } uid
        && uid.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries) is [_, _, "0", ..]; // real, effective (0 = root), ...

    private static string FindRepoRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "jobs", "tune.sbatch")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no jobs/tune.sbatch above {AppContext.BaseDirectory}");
    }
}

/// <summary>Runs a program other than HpcTune (sbatch, squeue, bash) and collects its output.</summary>
internal static class External
{
    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} ran past {limit}");
        }

        return new Result(process.ExitCode, (await stdout) + (await stderr));
    }
}

/// <summary>jobs/tune.sbatch under a real SLURM: a study that survives <c>scancel</c> through its chain of jobs.</summary>
[Collection("slurm")]
public sealed partial class SlurmJobTests(LocalSlurm slurm) : IDisposable
{
    private const int Budget = 40;
    private readonly Workspace _w = new();
    private readonly string _jobName = $"hpctune-test-{Guid.NewGuid():N}"[..24];

    public void Dispose()
    {
        // Whatever happened, no job of this test may outlive it.
        External.RunAsync("scancel", ["--name", _jobName], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        _w.Dispose();
    }

    [Fact]
    public async Task A_study_cancelled_mid_run_is_finished_by_the_next_job_in_the_chain()
    {
        Assert.SkipWhen(slurm.SkipReason is not null, slurm.SkipReason ?? "");
        var clock = Stopwatch.StartNew();
        var study = _w.Study(budget: Budget, bandwidth: 3);
        var side = _w.Combine("side.txt");
        var objective = _w.Write("slow.py", """
            import sys, os, time
            time.sleep(0.2)  # long enough that scancel lands while trials are in flight
            x, y = float(sys.argv[1]), float(sys.argv[2])
            value = (x - 0.5) ** 2 + (y + 0.25) ** 2
            with open(sys.argv[3], "a") as side:
                side.write(f"{os.environ['HPCTUNE_TRIAL_ID']} {value!r}\n")
            print(value)
            """);

        // 4 ranks (master + 3 workers) on a 2-CPU node: --overcommit, which the chain carries on to the next job.
        var submit = await External.RunAsync(
            "sbatch",
            ["--parsable", $"--job-name={_jobName}", "--ntasks=4", "--overcommit", Path.Combine(LocalSlurm.RepoRoot, "jobs", "tune.sbatch"), Workspace.Python, objective, "{x}", "{y}", side],
            TimeSpan.FromMinutes(1),
            _w.Path,
            new Dictionary<string, string>
            {
                ["HPCTUNE_DLL"] = HpcTuneProcess.DllPath,
                ["HPCTUNE_STUDY"] = study,
                ["HPCTUNE_CHECKPOINT"] = _w.Checkpoint,
                ["HPCTUNE_MAX_SUBMISSIONS"] = "4",
            });
        Assert.True(submit.ExitCode == 0, submit.Output);
        var firstJob = submit.Output.Trim().Split(';')[0];

        // Cancel the first job once some trials are journaled and others are surely in flight.
        await WaitUntil(async () => await Status() is { } s && s.GetProperty("completed").GetInt32() >= 5, TimeSpan.FromSeconds(90), "5 completed trials in the first job");
        var cancel = await External.RunAsync("scancel", [firstJob], TimeSpan.FromSeconds(30));
        Assert.True(cancel.ExitCode == 0, cancel.Output);
        var cancelledAt = (await Status())!.Value.GetProperty("completed").GetInt32();

        // The next job (queued by the first with afterany) resumes; the chain ends when the study is done.
        await WaitUntil(async () => (await External.RunAsync("squeue", ["-h", "--name", _jobName, "-o", "%i"], TimeSpan.FromSeconds(30))).Output.Trim().Length == 0, TimeSpan.FromMinutes(2), "the chain of jobs to end");

        var logs = JobLogs();
        TestContext.Current.TestOutputHelper?.WriteLine(logs);
        var final = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        Assert.True(final.ExitCode == 0, $"status failed: {final.Stderr}\n{logs}"); // the journal is valid
        using var json = JsonDocument.Parse(final.Stdout);
        Assert.True(json.RootElement.GetProperty("status").GetString() == "completed", $"{final.Stdout}\n{logs}");
        Assert.Equal(Budget, json.RootElement.GetProperty("completed").GetInt32());
        Assert.True(cancelledAt < Budget, $"the study finished ({cancelledAt}) before the first job was cancelled; nothing was resumed\n{logs}");

        var contents = Checkpoint.Read(_w.Checkpoint);
        var completed = contents.State.Trials.Where(t => t.State == TrialState.Completed).ToList();
        Assert.Equal(Budget, completed.Count);
        Assert.Empty(contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Equal(Budget, completed.Select(t => t.Assignment).Distinct().Count()); // a re-issued trial was not also observed as a new one
        Assert.True(contents.Runs.Count >= 2, $"{contents.Runs.Count} master runs\n{logs}");

        // At least two SLURM jobs ran: the cancelled one and the one that resumed.
        var ran = JobIdsThatRanHpcTune();
        Assert.True(ran.Count >= 2 && ran[0] == firstJob, $"jobs that ran HpcTune: {string.Join(", ", ran)}\n{logs}");
        Assert.Contains("resume --checkpoint", File.ReadAllText(_w.Combine($"hpctune-{ran[1]}.out")), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(3), $"took {clock.Elapsed}");
    }

    private async Task<JsonElement?> Status()
    {
        var result = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint, "--json");
        if (result.ExitCode != 0)
        {
            return null; // no journal yet
        }

        using var json = JsonDocument.Parse(result.Stdout);
        return json.RootElement.Clone();
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"no {what} within {limit}");
            await Task.Delay(200, TestContext.Current.CancellationToken); // polling interval, not a synchronization
        }
    }

    /// <summary>The jobs whose output shows HpcTune started, in submission order.</summary>
    private List<string> JobIdsThatRanHpcTune() =>
        [.. Directory.GetFiles(_w.Path, "hpctune-*.out")
            .Where(f => LauncherLine().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetFileNameWithoutExtension(f)["hpctune-".Length..])
            .OrderBy(id => long.Parse(id, CultureInfo.InvariantCulture))];

    /// <summary>The chain's own lines from every job's output, for failure messages (trial lines left out).</summary>
    private string JobLogs()
    {
        var text = new StringBuilder();
        foreach (var file in Directory.GetFiles(_w.Path, "hpctune-*.out").Order(StringComparer.Ordinal))
        {
            text.Append("== ").AppendLine(Path.GetFileName(file));
            foreach (var line in File.ReadLines(file).Where(l => !l.Contains("] trial ", StringComparison.Ordinal)))
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^tune\.sbatch\[\d+\]: \S*mpiexec ", RegexOptions.Multiline)]
    private static partial Regex LauncherLine();
}
