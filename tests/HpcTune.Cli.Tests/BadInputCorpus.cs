namespace HpcTune.Cli.Tests;

/// <summary>
/// The bad-input corpus in <c>BadInput/</c> (its README.md says how a case is written) and, per test class, a
/// folder with the valid studies and a checkpoint that already holds a finished study, made once by a real run.
/// </summary>
public sealed class BadInputCorpus : IAsyncLifetime
{
    /// <summary>The corpus as copied next to the tests.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "BadInput");

    public static string StudiesFolder { get; } = Path.Combine(Folder, "studies");

    private readonly Workspace _fixture = new();
    private SortedDictionary<string, byte[]?> _before = [];

    public string Study => _fixture.Combine("valid-study.json");

    public string Other => _fixture.Combine("other-study.json");

    public string Existing => _fixture.Combine("existing");

    /// <summary>The rows of a TSV manifest: TAB-separated fields; blank lines and lines starting with # are skipped.</summary>
    public static IEnumerable<string[]> Rows(string manifest) =>
        File.ReadLines(Path.Combine(Folder, manifest))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'));

    public async ValueTask InitializeAsync()
    {
        File.Copy(Path.Combine(Folder, "valid-study.json"), Study);
        File.Copy(Path.Combine(Folder, "other-study.json"), Other);
        var made = await HpcTuneProcess.RunInAsync(_fixture.Path, "run", "--study", Study, "--checkpoint", Existing, "--objective", "builtin:branin");
        Assert.True(made.ExitCode == 0, $"the existing checkpoint could not be made:\n{made.Stderr}");
        _before = Snapshot();
    }

    public ValueTask DisposeAsync()
    {
        _fixture.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>An argument with the manifest's placeholders replaced; <paramref name="checkpoint"/> is the one that must not appear.</summary>
    public string Expand(string argument, string checkpoint) => argument
        .Replace("{study}", Study, StringComparison.Ordinal)
        .Replace("{other}", Other, StringComparison.Ordinal)
        .Replace("{studies}", StudiesFolder, StringComparison.Ordinal)
        .Replace("{existing}", Existing, StringComparison.Ordinal)
        .Replace("{fixture}", _fixture.Path, StringComparison.Ordinal)
        .Replace("{ckpt}", checkpoint, StringComparison.Ordinal)
        .Replace("{empty}", "", StringComparison.Ordinal);

    /// <summary>
    /// What every corpus run gets on top of this process's environment. The corpus starts some 400 processes that
    /// each stop at their first check, so their start-up is the whole cost: the managed linear algebra spares loading
    /// OpenBLAS and its spinning threads, and without W^X the JIT skips two mprotect calls per method. Together they
    /// halve the CPU time of a refused run; neither is on the path of any check (an explicit --linalg still wins).
    /// </summary>
    private static readonly Dictionary<string, string> LeanStart = new(StringComparer.Ordinal)
    {
        ["HPCTUNE_LINALG"] = "managed",
        ["DOTNET_EnableWriteXorExecute"] = "0",
    };

    /// <summary>Runs HpcTune in <paramref name="workingDirectory"/> and checks that it refused: exit 2, the fragment on stderr, no crash.</summary>
    public static async Task RefusesAsync(string workingDirectory, string expected, params string[] arguments)
    {
        var result = await HpcTuneProcess.RunInAsync(workingDirectory, LeanStart, arguments);
        var shown = $"HpcTune {string.Join(' ', arguments.Select(a => a.Length > 200 ? string.Concat(a.AsSpan(0, 200), "…") : a))}\nexit {result.ExitCode}\nstderr:\n{result.Stderr}";
        Assert.True(result.ExitCode == 2, $"expected exit 2: {shown}");
        Assert.True(result.Stderr.Contains(expected, StringComparison.Ordinal), $"expected stderr to contain \"{expected}\": {shown}");
        Assert.False(result.Stderr.Contains("Unhandled exception", StringComparison.Ordinal) || result.Stderr.Contains("\n   at ", StringComparison.Ordinal), $"a stack trace: {shown}");
    }

    /// <summary>Every file and folder beside and in the existing checkpoint is as it was after the run that made it.</summary>
    public void AssertUntouched()
    {
        var now = Snapshot();
        Assert.Equal(_before.Keys, now.Keys);
        foreach (var (path, bytes) in _before)
        {
            Assert.True(bytes is null ? now[path] is null : now[path] is { } after && bytes.AsSpan().SequenceEqual(after), $"{path} changed");
        }
    }

    /// <summary>The fixture folder's entries by relative path: a file's bytes, or null for a folder.</summary>
    private SortedDictionary<string, byte[]?> Snapshot() => new(
        Directory.EnumerateFileSystemEntries(_fixture.Path, "*", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(_fixture.Path, path),
            path => Directory.Exists(path) ? null : File.ReadAllBytes(path)),
        StringComparer.Ordinal);
}
