namespace HpcTune.Cli.Tests.Docs;

/// <summary>
/// Every fenced block of the docs says what it is, so no command block escapes the runner: an info string the
/// runner knows (bash runs; text, json, csharp, python ... do not), known attributes, and requirements the runner can
/// meet (slurm, a verb of the CLI, or a verb that is coming).
/// </summary>
public sealed class DocsFenceTests
{
    public static TheoryData<string> Pages => [.. DocsPages.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_fence_has_a_known_info_string_and_requirements(string page)
    {
        var read = DocsPages.Read(page);
        var problems = read.Errors.ToList();
        foreach (var block in read.Blocks)
        {
            problems.AddRange(block.Requires
                .Where(r => r != DocBlock.Slurm && !DocsPages.Verbs.Contains(r) && !DocsPages.ComingVerbs.Contains(r))
                .Select(r => $"{page}:{block.Line}: requires={r}: neither slurm nor a verb of the CLI ({string.Join(", ", DocsPages.Verbs.Order(StringComparer.Ordinal))})"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Every_verb_of_the_CLI_has_a_page_with_a_command_that_runs()
    {
        var missing = DocsPages.Verbs
            .Where(v => !File.Exists(Path.Combine(LocalSlurm.RepoRoot, "docs", "verbs", v + ".md"))
                || !DocsPages.Read(Path.Combine("docs", "verbs", v + ".md")).Blocks.Any(b => b.IsCommand && b.Skip is null && b.Requires.Count == 0))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(missing.Count == 0, $"verbs without docs/verbs/VERB.md holding a bash block that runs everywhere: {string.Join(", ", missing)}");
    }
}
