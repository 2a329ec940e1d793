namespace HpcTune.Cli.Tests;

/// <summary>
/// Studies that share a --trial-root keep to folders of their own (issue 23, item 6): neither deletes what the other's
/// objective wrote, and a resumed study finds its folders again; a result.json linked out of its folder is not read.
/// </summary>
public sealed class TrialRootTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    /// <summary>Writes a model file naming the study into its trial folder and logs the folder.</summary>
    private string[] Run(string verb, string checkpoint, string label, params string[] extra) =>
        [verb, .. verb == "run" ? new[] { "--study", _w.Study(budget: 3, bandwidth: 1) } : [], "--checkpoint", checkpoint, "--trial-root", _w.Combine("shared"), "--workers", "1", .. extra,
            "--command", "/bin/sh", "-c", "echo \"$1\" > \"$HPCTUNE_TRIAL_DIR/model.txt\"; echo \"$HPCTUNE_TRIAL_DIR\" >> \"$2\"; echo 0.5", "sh", label, _w.Combine($"{label}.dirs")];

    [Fact]
    public async Task Two_studies_sharing_a_trial_root_keep_each_others_files()
    {
        var a = await HpcTuneProcess.RunAsync(Run("run", _w.Combine("a"), "A"));
        Assert.True(a.ExitCode == 0, a.Stderr);
        var b = await HpcTuneProcess.RunAsync(Run("run", _w.Combine("b"), "B"));
        Assert.True(b.ExitCode == 0, b.Stderr);
        var resumed = await HpcTuneProcess.RunAsync(Run("resume", _w.Combine("a"), "A", "--budget", "4"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);

        var aDirs = File.ReadAllLines(_w.Combine("A.dirs"));
        var bDirs = File.ReadAllLines(_w.Combine("B.dirs"));
        Assert.Equal(4, aDirs.Length);
        Assert.Equal(3, bDirs.Length);
        Assert.All(aDirs, d => Assert.Equal("A", File.ReadAllText(Path.Combine(d, "model.txt")).Trim()));
        Assert.All(bDirs, d => Assert.Equal("B", File.ReadAllText(Path.Combine(d, "model.txt")).Trim()));
        Assert.Single(aDirs.Select(Path.GetDirectoryName).Distinct()); // the resumed study found its own folder again
        Assert.Empty(aDirs.Intersect(bDirs));
        Assert.All(aDirs.Concat(bDirs), d => Assert.StartsWith(_w.Combine("shared") + "/", d, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_trial_root_folders_are_beside_the_checkpoint()
    {
        var run = await HpcTuneProcess.RunAsync("run", "--study", _w.Study(budget: 2, bandwidth: 1), "--checkpoint", _w.Checkpoint, "--workers", "1",
            "--command", "/bin/sh", "-c", "echo \"$HPCTUNE_TRIAL_DIR\" >> \"$1\"; echo 0.5", "sh", _w.Combine("dirs"));
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal([_w.Checkpoint + ".trials/trial-1", _w.Checkpoint + ".trials/trial-2"], File.ReadAllLines(_w.Combine("dirs")));
    }

    [Fact]
    public async Task A_result_json_linked_out_of_its_folder_never_reaches_the_journal()
    {
        var secret = _w.Write("secret.txt", """{"loss": 4.25, "note": "SECRET-TOKEN"}""");
        var run = await HpcTuneProcess.RunAsync("run", "--study", _w.Study(budget: 1, bandwidth: 1, maxFailures: 5), "--checkpoint", _w.Checkpoint,
            "--command", "/bin/sh", "-c", "ln -s \"$1\" \"$HPCTUNE_TRIAL_DIR/result.json\"; echo 1", "sh", secret);
        Assert.Contains("result.json is a link to", run.Stdout, StringComparison.Ordinal);
        var export = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "json");
        Assert.Contains("outside the trial folder", export.Stdout, StringComparison.Ordinal);
        foreach (var text in new[] { System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Journal.Checkpoint.JournalPath(_w.Checkpoint))), export.Stdout, run.Stdout })
        {
            Assert.DoesNotContain("SECRET-TOKEN", text, StringComparison.Ordinal);
        }
    }
}
