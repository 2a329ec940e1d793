using System.Text.RegularExpressions;

namespace HpcTune.Cli.Tests.Docs;

/// <summary>The pages of docs/ and docs/verbs/ whose commands run in CI, and what the runner needs to run them.</summary>
internal static partial class DocsPages
{
    /// <summary>Requirements a block may name besides a verb the CLI has: verbs that are coming (their blocks are skipped until then).</summary>
    public static readonly IReadOnlySet<string> ComingVerbs = new HashSet<string>(StringComparer.Ordinal) { "report" };

    private static readonly Lazy<IReadOnlySet<string>> CliVerbs = new(ReadCliVerbs);

    /// <summary>Every page, relative to the repository root, in a stable order.</summary>
    public static IEnumerable<string> All()
    {
        var docs = Path.Combine(LocalSlurm.RepoRoot, "docs");
        return Directory.GetFiles(docs, "*.md")
            .Concat(Directory.Exists(Path.Combine(docs, "verbs")) ? Directory.GetFiles(Path.Combine(docs, "verbs"), "*.md") : [])
            .Select(f => Path.GetRelativePath(LocalSlurm.RepoRoot, f))
            .Order(StringComparer.Ordinal);
    }

    public static DocPage Read(string page) => DocPage.Read(Path.Combine(LocalSlurm.RepoRoot, page), page);

    /// <summary>Pages with at least one command block that runs somewhere, split by whether they need SLURM.</summary>
    public static TheoryData<string> WithCommands(bool slurm)
    {
        var data = new TheoryData<string>();
        foreach (var page in All())
        {
            var read = Read(page);
            if (read.NeedsSlurm == slurm && read.Blocks.Any(b => b.IsCommand && b.Skip is null))
            {
                data.Add(page);
            }
        }

        return data;
    }

    /// <summary>The verbs of the CLI under test, read from its --help.</summary>
    public static IReadOnlySet<string> Verbs => CliVerbs.Value;

    public static DocRunSettings Settings(bool slurm, TimeSpan timeout)
    {
        var met = new HashSet<string>(Verbs, StringComparer.Ordinal);
        if (slurm)
        {
            met.Add(DocBlock.Slurm);
        }

        return new DocRunSettings(HpcTuneProcess.DllPath, LocalSlurm.RepoRoot, met, timeout);
    }

    private static HashSet<string> ReadCliVerbs()
    {
        var help = HpcTuneProcess.RunAsync("--help").GetAwaiter().GetResult();
        if (help.ExitCode != 0)
        {
            throw new InvalidOperationException($"HpcTune --help exited {help.ExitCode}: {help.Stderr}");
        }

        var commands = help.Stdout[help.Stdout.IndexOf("Commands:", StringComparison.Ordinal)..];
        return VerbLine().Matches(commands).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"^  ([a-z]+)  ", RegexOptions.Multiline)]
    private static partial Regex VerbLine();
}
