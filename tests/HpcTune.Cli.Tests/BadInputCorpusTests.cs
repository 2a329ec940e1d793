namespace HpcTune.Cli.Tests;

/// <summary>
/// Every malformed study in BadInput/studies exits 2 with the message studies.tsv expects, both for a new
/// checkpoint (which must not appear) and over one that holds a study (which must not change).
/// </summary>
public sealed class BadInputCorpusStudyTests(BadInputCorpus corpus) : IClassFixture<BadInputCorpus>
{
    private static readonly Dictionary<string, string> Expected = BadInputCorpus.Rows("studies.tsv").ToDictionary(row => row[0], row => row[1], StringComparer.Ordinal);

    public static TheoryData<string> Files => [.. Expected.Keys];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Bad_study_exits_2_names_the_problem_and_leaves_checkpoints_alone(string file)
    {
        using var w = new Workspace();
        var study = Path.Combine(BadInputCorpus.StudiesFolder, file);
        await Task.WhenAll(
            BadInputCorpus.RefusesAsync(w.Path, Expected[file], "run", "--study", study, "--checkpoint", w.Checkpoint, "--objective", "builtin:branin"),
            BadInputCorpus.RefusesAsync(w.Path, Expected[file], "run", "--study", study, "--checkpoint", corpus.Existing, "--objective", "builtin:branin"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(w.Path));
        corpus.AssertUntouched();
    }

    [Fact]
    public void Every_corpus_file_has_an_expectation_and_every_expectation_a_file()
    {
        var files = Directory.EnumerateFiles(BadInputCorpus.StudiesFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        // A file deleted from the source tree lingers in the output folder until a clean build.
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), files);
        Assert.All(Expected, e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{e.Key} has no expected message"));
        Assert.True(Expected.Count >= 80, $"only {Expected.Count} studies");
        Assert.True(Expected.Count + BadInputCorpusArgumentTests.Cases.Count >= 100, "fewer than 100 cases");
    }
}

/// <summary>
/// Every argument list in BadInput/arguments.tsv exits 2 with the message it expects, creates nothing where
/// it runs, and leaves the existing checkpoint as it was.
/// </summary>
public sealed class BadInputCorpusArgumentTests(BadInputCorpus corpus) : IClassFixture<BadInputCorpus>
{
    internal static readonly Dictionary<string, (string Expected, string[] Arguments)> Cases =
        BadInputCorpus.Rows("arguments.tsv").ToDictionary(row => row[0], row => (row[1], row[2..]), StringComparer.Ordinal);

    public static TheoryData<string> Names => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Bad_arguments_exit_2_name_the_problem_and_leave_checkpoints_alone(string name)
    {
        using var w = new Workspace();
        var (expected, arguments) = Cases[name];
        await BadInputCorpus.RefusesAsync(w.Path, expected, [.. arguments.Select(a => corpus.Expand(a, w.Checkpoint))]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(w.Path));
        corpus.AssertUntouched();
    }

    [Fact]
    public void Every_row_names_a_case_and_a_message()
    {
        // A row without a message, or a name used twice, already fails building Cases.
        Assert.All(Cases, c => Assert.False(string.IsNullOrWhiteSpace(c.Value.Expected), $"{c.Key} has no expected message"));
        Assert.True(Cases.Count >= 25, $"only {Cases.Count} argument lists");
    }
}
