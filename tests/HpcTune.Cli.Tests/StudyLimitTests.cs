using System.Text;

namespace HpcTune.Cli.Tests;

/// <summary>A study file is read with a cap, and a study too large to keep is refused naming its cause (issue 23, items 3 and 10).</summary>
public sealed class StudyLimitTests : IDisposable
{
    private const int MaxFileBytes = 4 << 20;
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    [Fact]
    public async Task A_file_one_byte_over_the_limit_is_refused_naming_the_limit()
    {
        var valid = File.ReadAllBytes(Path.Combine(BadInputCorpus.Folder, "valid-study.json"));
        var padded = new byte[MaxFileBytes + 1];
        Array.Fill(padded, (byte)' ');
        valid.CopyTo(padded, 0);
        var study = _w.Combine("padded.json");
        File.WriteAllBytes(study, padded);
        await BadInputCorpus.RefusesAsync(_w.Path, $"has {MaxFileBytes + 1} bytes, more than {MaxFileBytes} bytes (4 MiB)",
            "run", "--study", study, "--checkpoint", _w.Checkpoint, "--objective", "builtin:branin");
        Assert.False(Directory.Exists(_w.Checkpoint));
    }

    [Fact]
    public async Task Twenty_thousand_parameters_are_refused_as_too_many_parameters()
    {
        var parameters = string.Join(",\n", Enumerable.Range(0, 20_000).Select(i => $$$"""    {"name": "x{{{i}}}", "type": "double", "bounds": {"min": 0, "max": 1}}"""));
        var study = _w.Write("wide.json", $$"""
            {
              "name": "wide",
              "parameters": [
            {{parameters}}
              ],
              "metrics": [{"name": "value", "objective": "minimize"}],
              "observation_budget": 3,
              "algorithm": {"name": "random"}
            }
            """);
        Assert.True(new FileInfo(study).Length > 1 << 20, "the file is larger than a journal record");
        await BadInputCorpus.RefusesAsync(_w.Path, "parameters: the study has 20000 parameters; HpcTune supports at most 10000: use fewer parameters",
            "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/true");
        Assert.False(Directory.Exists(_w.Checkpoint));
    }

    [Fact]
    public async Task Many_parameters_that_do_not_fit_a_record_are_named_as_the_cause()
    {
        var name = new string('p', 100);
        var parameters = string.Join(",", Enumerable.Range(0, 8_000).Select(i => $$$"""{"name": "{{{name}}}{{{i}}}", "type": "double", "bounds": {"min": 0, "max": 1}}"""));
        var study = _w.Write("long.json", $$$"""{"name": "long", "parameters": [{{{parameters}}}], "metrics": [{"name": "value"}], "observation_budget": 3, "algorithm": {"name": "random"}}""");
        var result = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/true");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("one record holds: it has 8000 parameters", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("use fewer parameters", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("shorten its longest strings", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_w.Checkpoint));
    }
}
