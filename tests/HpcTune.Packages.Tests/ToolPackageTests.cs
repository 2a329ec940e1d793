namespace HpcTune.Packages.Tests;

/// <summary>HpcTune.Tool as a user gets it: `dotnet tool install` from the feed into a tool path, then `hpctune`.</summary>
public sealed class ToolPackageTests(LocalFeed feed)
{
    [Fact]
    public async Task The_tool_installs_from_the_feed_and_its_demo_finishes_a_GP_study_with_native_linear_algebra()
    {
        using var workspace = feed.CreateWorkspace();
        var tools = workspace.Combine("tools");
        var install = await ChildProcess.RunAsync(workspace.Path, "dotnet", "tool", "install", "HpcTune.Tool", "--version", feed.Version, "--tool-path", tools, "--configfile", workspace.NuGetConfig);
        Assert.True(install.ExitCode == 0, install.ToString());
        var hpctune = Path.Combine(tools, "hpctune");

        var version = await ChildProcess.RunAsync(workspace.Path, hpctune, "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Equal(feed.Version, version.Stdout.Trim().Split('+')[0]); // 0.2.0+<commit>

        var demo = await ChildProcess.RunAsync(workspace.Path, hpctune, "demo", "--objective", "branin", "--budget", "12", "--workers", "2", "--seed", "5");
        Assert.True(demo.ExitCode == 0, demo.ToString());
        Assert.Contains(demo.StdoutLines, l => l.StartsWith("study 'branin' completed: 12/12 completed, 0 failed", StringComparison.Ordinal));
        Assert.Contains(demo.StdoutLines, l => l.StartsWith("best trial ", StringComparison.Ordinal));
        // The package carries libhpctune_la beside HpcTune.dll; HPCTUNE_NATIVE_DIR is not set (ChildProcess), so the GP
        // ran on the library from the tool's own folder.
        Assert.Contains("linear algebra: native (", demo.Stderr, StringComparison.Ordinal);
    }
}
