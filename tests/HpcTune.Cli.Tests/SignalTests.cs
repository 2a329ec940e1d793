using System.Globalization;
using HpcTune.Journal;

namespace HpcTune.Cli.Tests;

/// <summary>Stop signals to an in-process master: SIGHUP (a closed terminal or ssh session) stops it as SIGTERM does.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Sighup_lets_running_trials_finish_within_the_grace_period_then_exits_3_and_resume_completes_the_budget()
    {
        var study = _w.Study(budget: 6, bandwidth: 2);
        var started = _w.Combine("started");
        var release = _w.Combine("release");
        string[] objective = ["--command", Workspace.Python, _w.GatedObjective(started, release), "{x}"];
        using var master = HpcTuneProcess.Start(_w.Path, ["run", "--study", study, "--checkpoint", _w.Checkpoint, "--grace", "120", .. objective]);
        var stdout = master.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(RunCommandTests.WaitFor(() => Directory.GetFiles(started).Length == 2), "both workers started their trial");
        MpiLauncher.SignalProcess(master.Id, "HUP");
        var logged = new System.Text.StringBuilder(await HpcTuneProcess.ReadErrorUntilAsync(master, "SIGHUP")); // no new trials from here on
        File.WriteAllText(release, "");
        logged.Append(await master.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await master.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(master.ExitCode == 3, $"exit {master.ExitCode}\n{logged}{await stdout}");
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal((2, 2, 0), (state.Trials.Count, state.CompletedCount, state.OpenCount));

        var resumed = await HpcTuneProcess.RunAsync(["resume", "--checkpoint", _w.Checkpoint, .. objective]);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        JournalFaultTests.AssertNothingLost(state, _w.Checkpoint, 6);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"trial 1 "), await stdout, StringComparison.Ordinal);
    }
}
