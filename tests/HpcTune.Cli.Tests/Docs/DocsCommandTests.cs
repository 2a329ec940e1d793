namespace HpcTune.Cli.Tests.Docs;

/// <summary>
/// Every command block of docs/*.md and docs/verbs/*.md runs as a user would type it (DocRunner): a page whose
/// command fails, or whose output a later command does not find, fails here with the page, the block's line and the
/// output. Pages with SLURM steps run in <see cref="DocsSlurmCommandTests"/>.
/// </summary>
public sealed class DocsCommandTests
{
    public static TheoryData<string> Pages => DocsPages.WithCommands(slurm: false);

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_commands_of_the_page_run(string page)
    {
        var result = await DocRunner.RunAsync(DocsPages.Read(page), DocsPages.Settings(slurm: false, TimeSpan.FromSeconds(120)), TestContext.Current.CancellationToken);
        DocsOutput.Write(result);
        Assert.True(result.Passed, result.Report);
    }
}

/// <summary>The pages with SLURM steps (the tutorial), on the local one-node cluster of the SLURM tests.</summary>
[Collection("slurm")]
public sealed class DocsSlurmCommandTests(LocalSlurm slurm)
{
    public static TheoryData<string> Pages => DocsPages.WithCommands(slurm: true);

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task The_commands_of_the_page_run_on_the_local_SLURM_cluster(string page)
    {
        Assert.SkipWhen(slurm.SkipReason is not null, slurm.SkipReason ?? "");
        var result = await DocRunner.RunAsync(DocsPages.Read(page), DocsPages.Settings(slurm: true, TimeSpan.FromSeconds(300)), TestContext.Current.CancellationToken);
        DocsOutput.Write(result);
        Assert.True(result.Passed, result.Report);
    }
}

/// <summary>Writes what a page printed and what it skipped to the test's output.</summary>
internal static class DocsOutput
{
    public static void Write(DocRunResult result)
    {
        var output = TestContext.Current.TestOutputHelper;
        foreach (var skipped in result.Skipped)
        {
            output?.WriteLine(skipped);
        }

        output?.WriteLine($"{result.Report} ({result.Elapsed.TotalSeconds:0.0} s)");
        output?.WriteLine(result.Output);
    }
}
