using System.Diagnostics;

namespace HpcTune.Cli.Tests;

/// <summary>One finished study (20 trials of Branin) that the export tests read; made once by a real run.</summary>
public sealed class ExportedStudy : IAsyncLifetime
{
    private readonly Workspace _w = new();

    public string Folder => _w.Path;

    public string Checkpoint => _w.Checkpoint;

    public string Journal => Path.Combine(Checkpoint, "journal.htj");

    public byte[] JournalBytes { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        var study = _w.Write("study.json", File.ReadAllText(Path.Combine(BadInputCorpus.Folder, "valid-study.json"))
            .Replace("\"observation_budget\": 3", "\"observation_budget\": 20", StringComparison.Ordinal));
        var run = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", Checkpoint, "--objective", "builtin:branin");
        Assert.True(run.ExitCode == 0, run.Stderr);
        JournalBytes = File.ReadAllBytes(Journal);
    }

    public ValueTask DisposeAsync()
    {
        _w.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// <c>export --output</c> never writes inside a checkpoint directory, however the path is spelled, and replaces a
/// file only whole (issue 23, item 2).
/// </summary>
public sealed class ExportOutputTests(ExportedStudy study) : IClassFixture<ExportedStudy>, IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    public static TheoryData<string> InsideTheCheckpoint => ["ckpt/journal.htj", "ckpt/trials.csv", "ckpt", "ckpt/../ckpt/journal.htj", "ckpt/./new/../journal.htj"];

    [Theory]
    [MemberData(nameof(InsideTheCheckpoint))]
    public async Task An_output_inside_the_checkpoint_is_refused_and_the_journal_is_unchanged(string output)
    {
        var before = Directory.GetFileSystemEntries(study.Checkpoint).Order(StringComparer.Ordinal).ToArray();
        var result = await HpcTuneProcess.RunInAsync(study.Folder, "export", "--checkpoint", study.Checkpoint, "--format", "csv", "--output", output);
        AssertRefused(result);
        Assert.Equal(before, Directory.GetFileSystemEntries(study.Checkpoint).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_link_to_the_checkpoint_folder_does_not_get_around_the_refusal()
    {
        var link = _w.Combine("link-to-ckpt");
        File.CreateSymbolicLink(link, study.Checkpoint);
        AssertRefused(await Export("--checkpoint", study.Checkpoint, "--output", Path.Combine(link, "journal.htj")));
        AssertRefused(await Export("--checkpoint", link, "--output", study.Journal));
        Assert.True(new FileInfo(link).LinkTarget is not null);
    }

    [Fact]
    public async Task An_output_that_links_to_a_checkpoint_file_is_refused_and_stays_a_link()
    {
        var link = _w.Combine("trials.csv");
        File.CreateSymbolicLink(link, study.Journal);
        AssertRefused(await Export("--checkpoint", study.Checkpoint, "--output", link));
        Assert.Equal(study.Journal, new FileInfo(link).LinkTarget);
    }

    [Fact]
    public async Task An_output_in_another_studys_checkpoint_is_refused()
    {
        var other = _w.Combine("other-ckpt");
        Directory.CreateDirectory(other);
        File.WriteAllBytes(Path.Combine(other, "journal.htj"), study.JournalBytes);
        var result = await Export("--checkpoint", study.Checkpoint, "--output", Path.Combine(other, "journal.htj"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the checkpoint directory of another study", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(study.JournalBytes, File.ReadAllBytes(Path.Combine(other, "journal.htj")));
    }

    [Theory]
    [InlineData("ckpt.trials")]
    [InlineData("ckpt-exports")]
    public async Task A_folder_beside_the_checkpoint_is_fine(string folder)
    {
        var besides = Path.Combine(Path.GetDirectoryName(study.Checkpoint)!, folder);
        Directory.CreateDirectory(besides);
        var output = Path.Combine(besides, "trials.csv");
        var result = await Export("--checkpoint", study.Checkpoint, "--output", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("id,state,x1,x2,value", File.ReadAllText(output), StringComparison.Ordinal);
        File.Delete(output);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task An_existing_file_is_replaced_whole_with_its_mode_and_no_temporary_file_is_left()
    {
        var output = _w.Write("trials.json", "old contents");
        File.SetUnixFileMode(output, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var result = await Export("--checkpoint", study.Checkpoint, "--format", "json", "--output", output);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("[", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        Assert.Equal(new[] { output }, Directory.GetFileSystemEntries(_w.Path));
    }

    [Fact]
    public async Task A_link_to_a_file_elsewhere_is_written_through_and_stays_a_link()
    {
        var target = _w.Write("real.csv", "old contents");
        var link = _w.Combine("link.csv");
        File.CreateSymbolicLink(link, target);
        var result = await Export("--checkpoint", study.Checkpoint, "--output", link);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.StartsWith("id,state", File.ReadAllText(target), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_that_fails_while_writing_leaves_the_old_file_whole()
    {
        // The kernel stops any file of the export at 1 KiB (ulimit -f 1; SIGXFSZ ends the process): a real failure in
        // mid-write. The runtime's W^X double mapping needs a larger file of its own, so it is off here.
        var output = _w.Write("trials.json", "precious old export\n");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _w.Path };
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        foreach (var argument in (string[])["-c", "ulimit -f 1 && exec dotnet \"$@\"", "bash", HpcTuneProcess.DllPath,
            "export", "--checkpoint", study.Checkpoint, "--format", "json", "--output", output])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var result = await HpcTuneProcess.CollectAsync(process, TimeSpan.FromMinutes(2), () => process.Kill(entireProcessTree: true));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("precious old export\n", File.ReadAllText(output));
        Assert.Equal(study.JournalBytes, File.ReadAllBytes(study.Journal));
    }

    [Fact]
    public async Task A_loop_of_links_is_a_clear_error()
    {
        File.CreateSymbolicLink(_w.Combine("loop-a"), _w.Combine("loop-b"));
        File.CreateSymbolicLink(_w.Combine("loop-b"), _w.Combine("loop-a"));
        var result = await Export("--checkpoint", study.Checkpoint, "--output", _w.Combine("loop-a", "trials.csv"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot write it: too many levels of symbolic links", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_such_as_standard_output_is_written_as_it_is()
    {
        var result = await Export("--checkpoint", study.Checkpoint, "--output", "/dev/stdout");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("id,state,x1,x2,value", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(21, result.StdoutLines.Length);
    }

    private Task<HpcTuneProcess.Result> Export(params string[] arguments) =>
        HpcTuneProcess.RunInAsync(_w.Path, ["export", .. arguments, .. arguments.Contains("--format") ? Array.Empty<string>() : ["--format", "csv"]]);

    private void AssertRefused(HpcTuneProcess.Result result)
    {
        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}\n{result.Stderr}");
        Assert.Contains("is inside the checkpoint directory", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(study.JournalBytes, File.ReadAllBytes(study.Journal));
    }
}
