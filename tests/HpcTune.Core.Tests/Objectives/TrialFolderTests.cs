namespace HpcTune.Tests.Objectives;

/// <summary>
/// Trial folders (issue 23, item 6): HpcTune deletes only a folder it made for the same study, and never reads
/// result.json through a link that leaves the trial folder.
/// </summary>
public sealed class TrialFolderTests : IDisposable
{
    private readonly CommandKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private string WriteResultScript(string value) => _kit.Script($"result-{value}.py", $$"""
        import os
        open(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "result.json"), "w").write('{"loss": {{value}}}')
        """);

    [Fact]
    public async Task A_reissued_trial_starts_in_a_clean_folder_of_its_own_study()
    {
        var first = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, WriteResultScript("2")]));
        Assert.Equal(2, first.Values!["loss"]);
        var again = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, "-c", "print(3)"]));
        Assert.False(again.IsFailure, again.FailureReason);
        Assert.Equal(3, again.Values!["loss"]); // the stale result.json went with the old folder
    }

    [Fact]
    public async Task A_folder_this_study_did_not_make_is_left_alone_and_the_trial_fails()
    {
        var folder = Path.Combine(_kit.TrialRoot, "trial-1");
        Directory.CreateDirectory(folder);
        var model = Path.Combine(folder, "model.bin");
        File.WriteAllText(model, "a week of training");
        var result = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, "-c", "print(3)"]));
        Assert.True(result.IsFailure);
        Assert.Contains($"{folder} exists and was not made by this study", result.FailureReason, StringComparison.Ordinal);
        Assert.Equal("a week of training", File.ReadAllText(model));
    }

    [Fact]
    public async Task A_folder_without_a_marker_in_the_checkpoints_own_default_root_is_its_own_from_before_markers()
    {
        // Checkpoints made before trial folders had markers resume: their CHECKPOINT.trials is theirs alone.
        var checkpoint = Path.Combine(Path.GetDirectoryName(_kit.TrialRoot)!, "ckpt");
        Directory.CreateDirectory(checkpoint);
        var folder = Path.Combine(checkpoint + ".trials", "trial-1");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "result.json"), "{\"loss\": 7}");
        var objective = new HpcTune.Objectives.CommandObjective(CommandKit.Space, "loss",
            new HpcTune.Objectives.CommandObjectiveOptions([CommandKit.Python, "-c", "print(3)"], checkpoint + ".trials") { TrialOwner = HpcTune.Objectives.TrialFolders.OwnerOf(checkpoint) });
        var result = await CommandKit.Evaluate(objective);
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(3, result.Values!["loss"]); // the old folder went, its stale result.json with it
    }

    [Fact]
    public async Task A_moved_checkpoint_reissues_trials_in_its_own_default_root_whose_markers_name_the_old_path()
    {
        var parent = Path.GetDirectoryName(_kit.TrialRoot)!;
        var moved = Path.Combine(parent, "moved");
        Directory.CreateDirectory(moved);
        var folder = Path.Combine(moved + ".trials", "trial-1");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, HpcTune.Objectives.TrialFolders.OwnerFileName), Path.Combine(parent, "before-the-move") + "\n");
        var objective = new HpcTune.Objectives.CommandObjective(CommandKit.Space, "loss",
            new HpcTune.Objectives.CommandObjectiveOptions([CommandKit.Python, "-c", "print(4)"], moved + ".trials") { TrialOwner = HpcTune.Objectives.TrialFolders.OwnerOf(moved) });
        var result = await CommandKit.Evaluate(objective);
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(4, result.Values!["loss"]);
    }

    [Fact]
    public async Task A_folder_made_for_another_owner_is_left_alone_and_the_trial_fails()
    {
        string[] argv = ["/bin/sh", "-c", "echo \"$1\" > \"$HPCTUNE_TRIAL_DIR/model.bin\"; echo 1", "sh"];
        var first = await CommandKit.Evaluate(_kit.Objective([.. argv, "a"], owner: "/studies/a"));
        Assert.False(first.IsFailure, first.FailureReason);
        var second = await CommandKit.Evaluate(_kit.Objective([.. argv, "b"], owner: "/studies/b"));
        Assert.True(second.IsFailure);
        Assert.Contains($"its {HpcTune.Objectives.TrialFolders.OwnerFileName} names /studies/a", second.FailureReason, StringComparison.Ordinal);
        Assert.Equal("a", File.ReadAllText(Path.Combine(_kit.TrialRoot, "trial-1", "model.bin")).Trim());
    }

    [Fact]
    public async Task A_result_json_linked_out_of_the_trial_folder_is_not_read()
    {
        var outside = _kit.Script("secret.json", """{"loss": 4.25}""");
        var result = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, "-c", $"""
            import os
            os.symlink("{outside}", os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "result.json"))
            print(1)
            """]));
        Assert.True(result.IsFailure);
        Assert.Contains("result.json is a link to", result.FailureReason, StringComparison.Ordinal);
        Assert.Contains("outside the trial folder", result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("4.25", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_json_in_a_linked_out_folder_is_not_read()
    {
        var outside = Directory.CreateDirectory(_kit.Combine("elsewhere")).FullName;
        File.WriteAllText(Path.Combine(outside, "result.json"), """{"loss": 4.25}""");
        var result = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, "-c", $"""
            import os
            d = os.environ["HPCTUNE_TRIAL_DIR"]
            os.symlink("{outside}", os.path.join(d, "out"))
            os.symlink("out/result.json", os.path.join(d, "result.json"))
            print(1)
            """]));
        Assert.True(result.IsFailure);
        Assert.Contains("outside the trial folder", result.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain("4.25", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_json_linked_within_the_trial_folder_is_read()
    {
        var result = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, "-c", """
            import os
            d = os.environ["HPCTUNE_TRIAL_DIR"]
            os.mkdir(os.path.join(d, "out"))
            open(os.path.join(d, "out", "metrics.json"), "w").write('{"loss": 0.75}')
            os.symlink("out/metrics.json", os.path.join(d, "result.json"))
            """]));
        Assert.False(result.IsFailure, result.FailureReason);
        Assert.Equal(0.75, result.Values!["loss"]);
    }

    [Fact]
    public async Task A_result_json_that_is_a_fifo_does_not_hang_the_trial()
    {
        var result = await CommandKit.Evaluate(_kit.Objective([CommandKit.Python, "-c", """
            import os
            os.mkfifo(os.path.join(os.environ["HPCTUNE_TRIAL_DIR"], "result.json"))
            """]));
        Assert.True(result.IsFailure);
        Assert.Contains("result.json is not a regular file", result.FailureReason, StringComparison.Ordinal);
    }
}
