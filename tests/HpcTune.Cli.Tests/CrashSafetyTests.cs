using System.Globalization;
using System.Text.RegularExpressions;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>Kills a real master with SIGKILL at random moments and checks that resume loses and repeats nothing.</summary>
public sealed partial class CrashSafetyTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Repeated_kill_9_and_resume_meets_the_budget_exactly_and_keeps_every_acknowledged_result()
    {
        const int budget = 60, minimumKills = 12;
        var study = _w.Study(budget: budget, bandwidth: 4);
        var side = _w.Combine("side.txt");
        string[] objective = ["--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", side];
        var acknowledged = new Dictionary<long, double>();
        var random = new Random(20261123);
        var kills = 0;
        for (var session = 0; ; session++)
        {
            Assert.True(session < 200, "the study did not finish");
            string[] arguments = session == 0
                ? ["run", "--study", study, "--checkpoint", _w.Checkpoint, .. objective]
                : ["resume", "--checkpoint", _w.Checkpoint];
            using var master = HpcTuneProcess.Start(_w.Path, arguments);
            var stderr = master.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var killAfterLines = kills < minimumKills ? random.Next(0, 4) : int.MaxValue;
            var lines = 0;
            var killed = false;
            while (await master.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
            {
                if (TrialLine().Match(line) is { Success: true } m)
                {
                    // The line is printed after the result was journaled: it is the master's acknowledgement.
                    acknowledged[long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
                    lines++;
                }

                if (lines >= killAfterLines)
                {
                    await Task.Delay(random.Next(0, 40), TestContext.Current.CancellationToken); // a random moment, not a synchronization
                    master.Kill(); // SIGKILL
                    killed = true;
                    break;
                }
            }

            await master.WaitForExitAsync(TestContext.Current.CancellationToken);
            if (killed && master.ExitCode != 0)
            {
                Assert.Equal(137, master.ExitCode);
                kills++;
                continue;
            }

            Assert.True(master.ExitCode == 0, await stderr);
            break;
        }

        Assert.True(kills >= minimumKills, $"only {kills} kills");
        var contents = Checkpoint.Read(_w.Checkpoint);
        var state = contents.State;
        Assert.Equal(budget, state.CompletedCount);
        Assert.Equal(StudyStatus.Completed, state.Status);
        var observedTwice = contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(observedTwice);

        foreach (var (id, value) in acknowledged)
        {
            var trial = state.Find(id)!;
            Assert.Equal(TrialState.Completed, trial.State);
            var recorded = trial.Values!["loss"];
            Assert.True(Math.Abs(recorded - value) <= 1e-5 * Math.Max(1, Math.Abs(recorded)), $"trial {id}: acknowledged {value}, recorded {recorded}"); // printed with 6 digits
        }

        // Every result the objective produced is in the journal, or its trial was run again and completed.
        foreach (var produced in File.ReadAllLines(side).Select(l => long.Parse(l.Split(' ')[0], CultureInfo.InvariantCulture)).Distinct())
        {
            Assert.Equal(TrialState.Completed, state.Find(produced)!.State);
        }

        Assert.Equal(budget, state.Trials.Count); // no failure, so no trial was replaced by a new one
    }

    [GeneratedRegex(@"\] trial (\d+) loss=(\S+) \|")]
    private static partial Regex TrialLine();
}
