using HpcTune.Journal;

namespace HpcTune.Cli.Tests;

/// <summary>Issue 23 item 1: damage in the middle of a journal is refused by every verb and repaired only on request.</summary>
public sealed class JournalDamageTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private string Journal => Checkpoint.JournalPath(_w.Checkpoint);

    /// <summary>The issue's repro: a 20-trial Branin study, one bit flipped at byte 1,500 of its journal.</summary>
    private async Task<byte[]> DamagedBraninStudyAsync()
    {
        var study = _w.Write("branin.json", """
            {
              "name": "branin",
              "parameters": [
                {"name": "x1", "type": "double", "bounds": {"min": -5, "max": 10}},
                {"name": "x2", "type": "double", "bounds": {"min": 0, "max": 15}}
              ],
              "metrics": [{"name": "value", "objective": "minimize"}],
              "observation_budget": 20,
              "parallel_bandwidth": 1,
              "algorithm": {"name": "sobol", "seed": 1}
            }
            """);
        var run = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--objective", "builtin:branin", "--workers", "1");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var bytes = File.ReadAllBytes(Journal);
        Assert.True(bytes.Length > 4000, $"the journal has {bytes.Length} bytes");
        bytes[1500] ^= 0x08;
        File.WriteAllBytes(Journal, bytes);
        return bytes;
    }

    [Fact]
    public async Task Status_export_and_resume_refuse_a_journal_damaged_in_the_middle_and_change_nothing()
    {
        var damaged = await DamagedBraninStudyAsync();
        string[][] verbs = [["status"], ["status", "--json"], ["export", "--format", "csv"], ["resume", "--budget", "30"]];
        foreach (var verb in verbs)
        {
            var result = await HpcTuneProcess.RunAsync([.. verb, "--checkpoint", _w.Checkpoint]);
            Assert.True(result.ExitCode == 2, $"{verb[0]}: exit {result.ExitCode}\n{result.Stdout}\n{result.Stderr}");
            Assert.Contains("byte offset", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("record number", result.Stderr, StringComparison.Ordinal);
            Assert.Matches(@"\d+ intact records follow", result.Stderr);
            Assert.Contains($"HpcTune repair --checkpoint {_w.Checkpoint}", result.Stderr, StringComparison.Ordinal);
            Assert.Equal(damaged, File.ReadAllBytes(Journal)); // byte for byte
        }
    }

    [Fact]
    public async Task Repair_keeps_every_intact_result_makes_a_backup_and_resume_then_continues()
    {
        var damaged = await DamagedBraninStudyAsync();
        var repair = await HpcTuneProcess.RunAsync("repair", "--checkpoint", _w.Checkpoint);
        Assert.True(repair.ExitCode == 0, repair.Stdout + repair.Stderr);
        Assert.Contains("dropped", repair.Stdout, StringComparison.Ordinal);
        Assert.Contains("kept", repair.Stdout, StringComparison.Ordinal);
        var backup = Assert.Single(Directory.GetFiles(_w.Checkpoint, "journal.htj.bak-*"));
        Assert.Equal(damaged, File.ReadAllBytes(backup));

        // One record was damaged: at most that result (and whatever only it made consistent) is gone.
        var contents = Checkpoint.Read(_w.Checkpoint);
        Assert.Null(contents.TailWarning);
        Assert.True(contents.State.CompletedCount >= 19, $"{contents.State.CompletedCount} results kept");

        var again = await HpcTuneProcess.RunAsync("repair", "--checkpoint", _w.Checkpoint);
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("nothing to repair", again.Stdout, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(_w.Checkpoint, "journal.htj.bak-*"));

        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(20, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }

    [Fact]
    public async Task Repair_of_a_journal_without_a_study_record_says_nothing_can_be_done()
    {
        Directory.CreateDirectory(_w.Checkpoint);
        File.WriteAllBytes(Journal, new byte[300]);
        var repair = await HpcTuneProcess.RunAsync("repair", "--checkpoint", _w.Checkpoint);
        Assert.True(repair.ExitCode == 2, repair.Stdout + repair.Stderr);
        Assert.Contains("study record", repair.Stderr, StringComparison.Ordinal);
        Assert.Equal(new byte[300], File.ReadAllBytes(Journal));
    }
}
