namespace HpcTune.Cli.Tests.Docs;

/// <summary>The docs runner itself: it can fail, says where, carries a shell's state across blocks, and skips what is marked.</summary>
public sealed class DocRunnerTests
{
    private static readonly DocRunSettings Settings = new(HpcTuneProcess.DllPath, LocalSlurm.RepoRoot, new HashSet<string>(StringComparer.Ordinal) { "run" }, TimeSpan.FromSeconds(60));

    private static Task<DocRunResult> Run(string markdown, DocRunSettings? settings = null) =>
        DocRunner.RunAsync(DocPage.Parse("docs/page.md", markdown.Split('\n')), settings ?? Settings, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_page_whose_command_fails_fails_naming_the_block_line_and_output()
    {
        var result = await Run("""
            # A page

            ```bash
            echo first block ran
            ```

            ```bash
            echo about to fail
            hpctune status --checkpoint no-such-checkpoint
            echo never printed
            ```
            """);

        Assert.False(result.Passed);
        Assert.StartsWith("docs/page.md:7: the block failed with exit 2", result.Report, StringComparison.Ordinal);
        Assert.Contains("about to fail", result.Report, StringComparison.Ordinal);
        Assert.Contains("no-such-checkpoint", result.Report, StringComparison.Ordinal); // HpcTune's own error, from its stderr
        Assert.DoesNotContain("never printed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_command_inside_a_pipeline_fails_the_page()
    {
        var result = await Run("""
            ```bash
            false | cat
            ```
            """);

        Assert.False(result.Passed);
        Assert.StartsWith("docs/page.md:1: the block failed with exit 1", result.Report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocks_share_one_shell_in_a_fresh_folder_and_text_blocks_do_not_run()
    {
        var result = await Run("""
            ```bash
            test -z "$(ls -A)"       # the folder is empty
            answer=42; mkdir sub; cd sub
            ```

            ```text
            exit 1
            ```

            ```bash
            test "$answer" = 42 && test "$(basename "$PWD")" = sub
            hpctune --help | grep -q 'Usage:' && test "$H" = hpctune && test -f "$REPO/jobs/tune.sbatch"
            ```
            """);

        Assert.True(result.Passed, result.Report);
        Assert.Equal("docs/page.md: 2 block(s) ran", result.Report);
    }

    [Fact]
    public async Task Skipped_blocks_and_unmet_requirements_do_not_run_and_are_listed()
    {
        var result = await Run("""
            ```bash skip="a benchmark of hours"
            exit 1
            ```

            ```bash requires=slurm
            exit 1
            ```

            ```bash requires=run
            echo the CLI has run
            ```
            """);

        Assert.True(result.Passed, result.Report);
        Assert.Equal(["docs/page.md:1: skipped: a benchmark of hours", "docs/page.md:5: skipped: requires slurm, not here"], result.Skipped);
        Assert.Contains("the CLI has run", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_that_runs_past_its_limit_fails_and_its_background_processes_are_killed()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"docs-runner-{Guid.NewGuid():N}");
        try
        {
            var result = await Run(
                $$"""
                ```bash
                sleep 300 &
                echo $! > {{pidFile}}
                sleep 300
                ```
                """,
                Settings with { Timeout = TimeSpan.FromSeconds(3) });

            Assert.False(result.Passed);
            Assert.StartsWith("docs/page.md:1: the block ran past the page's limit of 3 s", result.Report, StringComparison.Ordinal);
            var background = File.ReadAllText(pidFile).Trim();
            Assert.True(await Ended(background, TimeSpan.FromSeconds(30)), $"the background sleep {background} still runs");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    /// <summary>
    /// Whether the process has ended (gone, a zombie, or its pid now another program's) within the limit: SIGKILL is
    /// sent to the group at once, but a loaded machine may take a moment to run the killed process's exit.
    /// </summary>
    private static async Task<bool> Ended(string pid, TimeSpan limit)
    {
        var status = Path.Combine("/proc", pid, "status");
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            string text;
            try
            {
                text = File.ReadAllText(status);
            }
            catch (IOException)
            {
                return true;
            }

            if (text.Contains("State:\tZ", StringComparison.Ordinal) || !text.StartsWith("Name:\tsleep", StringComparison.Ordinal))
            {
                return true;
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task An_exit_in_a_block_fails_the_page_rather_than_ending_it_early()
    {
        var result = await Run("""
            ```bash
            exit 0
            ```

            ```bash
            echo the second block
            ```
            """);

        Assert.False(result.Passed);
        Assert.Contains("ended the shell before the page's last block", result.Report, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_info_strings_and_attributes_are_errors()
    {
        var page = DocPage.Parse("docs/page.md", """
            ```
            make
            ```

            ```sh
            make
            ```

            ```bash skipp="typo"
            make
            ```

            ```json skip="x"
            {}
            ```

            ```bash
            never closed
            """.Split('\n'));

        Assert.Equal(5, page.Errors.Count);
        Assert.StartsWith("docs/page.md:1: info string ''", page.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("docs/page.md:5: info string 'sh'", page.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("docs/page.md:9: unknown attribute 'skipp=\"typo\"'", page.Errors[2], StringComparison.Ordinal);
        Assert.StartsWith("docs/page.md:13: skip and requires belong to bash blocks", page.Errors[3], StringComparison.Ordinal);
        Assert.Equal("docs/page.md:17: the fence is never closed", page.Errors[4]);
    }
}
