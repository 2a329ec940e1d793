using System.Globalization;

namespace HpcTune.Packages.Tests;

/// <summary>
/// The package HpcTune as a user references it: a console program (Consumer/) with a PackageReference, restored from
/// the feed, built and run with `dotnet run`.
/// </summary>
public sealed class LibraryPackageTests(LocalFeed feed)
{
    [Fact]
    public async Task A_program_built_against_the_packages_runs_a_GP_study_on_the_packaged_native_library()
    {
        using var workspace = feed.CreateWorkspace();
        var consumer = workspace.Combine("consumer");
        Directory.CreateDirectory(consumer);
        var template = Path.Combine(AppContext.BaseDirectory, "Consumer");
        File.Copy(Path.Combine(template, "Program.cs"), Path.Combine(consumer, "Program.cs"));
        var project = (await File.ReadAllTextAsync(Path.Combine(template, "Consumer.csproj.in"), TestContext.Current.CancellationToken)).Replace("@VERSION@", feed.Version, StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), project, TestContext.Current.CancellationToken);

        var run = await ChildProcess.RunAsync(consumer, "dotnet", "run", "-c", "Release");
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.StdoutLines.Where(l => l.Contains(": ", StringComparison.Ordinal)).ToDictionary(l => l[..l.IndexOf(": ", StringComparison.Ordinal)], l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]);
        Assert.Equal("Completed", lines["status"]);
        Assert.Equal("12/12", lines["completed"]);
        var best = double.Parse(lines["best loss"], CultureInfo.InvariantCulture);
        Assert.True(double.IsFinite(best) && best >= 0, run.ToString());

        // The GP's linear algebra is the native library of the HpcTune.Gp package, which the build copied from the
        // package's runtimes/linux-x64/native folder into the program's output.
        Assert.StartsWith("native (", lines["linear algebra"], StringComparison.Ordinal);
        var mapped = lines["libhpctune_la"];
        Assert.StartsWith(Path.Combine(consumer, "bin") + "/", mapped, StringComparison.Ordinal);
        Assert.EndsWith("/runtimes/linux-x64/native/libhpctune_la.so", mapped, StringComparison.Ordinal);

        // Every HpcTune package came from the feed (not a project reference, not an older pack in the user's cache).
        foreach (var id in new[] { "hpctune", "hpctune.core", "hpctune.gp", "hpctune.search" })
        {
            var metadata = Path.Combine(workspace.Packages, id, feed.Version, ".nupkg.metadata");
            Assert.True(File.Exists(metadata), $"{id} {feed.Version} was not restored into {workspace.Packages}");
            Assert.Contains(feed.Path, await File.ReadAllTextAsync(metadata, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
    }
}
