using HpcTune.Journal;

namespace HpcTune.Cli.Tests;

/// <summary>
/// Bad input beyond the corpus (BadInput/, BadInputCorpus*Tests): a refused run over a study, and option-like
/// arguments after --command.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task Run_over_an_existing_study_is_refused_and_the_journal_is_untouched()
    {
        var study = _w.Study(budget: 3);
        Assert.Equal(0, (await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/echo", "1")).ExitCode);
        var journal = File.ReadAllBytes(Checkpoint.JournalPath(_w.Checkpoint));
        var again = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/echo", "1");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds a study", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(journal, File.ReadAllBytes(Checkpoint.JournalPath(_w.Checkpoint)));
    }

    [Fact]
    public async Task Command_arguments_that_look_like_options_belong_to_the_program()
    {
        var study = _w.Study(budget: 2, bandwidth: 1);
        var script = _w.Write("opts.py", """
            import sys
            assert sys.argv[1:] == ["--checkpoint", "-u", "--help"], sys.argv
            print(0.5)
            """);
        var result = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, script, "--checkpoint", "-u", "--help");
        Assert.True(result.ExitCode == 0, result.Stderr + result.Stdout);
        Assert.Equal(2, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }
}
