using System.Diagnostics;
using System.Text;

namespace HpcTune.Cli.Tests.Docs;

/// <summary>What the runner needs: the CLI, the repository, the requirements met here and the page's time limit.</summary>
/// <param name="CliDll">The HpcTune.dll that <c>hpctune</c> and <c>HpcTune</c> run in the pages.</param>
/// <param name="RepoRoot">Exported to the pages as <c>REPO</c>: jobs/ and bench/ are there.</param>
/// <param name="Met">Requirements met: <c>slurm</c> where the local cluster is up, and the CLI's verbs.</param>
/// <param name="Timeout">The whole page's limit; past it every process the page started is killed.</param>
internal sealed record DocRunSettings(string CliDll, string RepoRoot, IReadOnlySet<string> Met, TimeSpan Timeout);

/// <summary>How a page ran: whether every block passed, and a report naming the page, the block's line and its output.</summary>
internal sealed record DocRunResult(bool Passed, string Report, IReadOnlyList<string> Skipped, string Output)
{
    /// <summary>How long the page's shell ran: what the page costs CI.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>
/// Runs a page's <c>bash</c> blocks in order, like a user typing them into one shell: one bash process, in a fresh
/// temporary folder, with <c>set -eo pipefail</c>, so variables, functions and <c>cd</c> carry from block to block and
/// the first failing command stops the page. <c>hpctune</c> and <c>HpcTune</c> are on PATH (the CLI under test),
/// <c>H</c> is <c>hpctune</c>, <c>REPO</c> the repository. The shell runs in a session of its own, so whatever a page
/// leaves running in the background is killed when it ends.
/// </summary>
internal static class DocRunner
{
    private const string Marker = "#docs-runner# block ";
    private const string EndMarker = "#docs-runner# end";

    public static async Task<DocRunResult> RunAsync(DocPage page, DocRunSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(settings);
        var skipped = new List<string>();
        var run = new List<DocBlock>();
        foreach (var block in page.Blocks.Where(b => b.IsCommand))
        {
            var unmet = block.Requires.Where(r => !settings.Met.Contains(r)).ToList();
            if (block.Skip is not null)
            {
                skipped.Add($"{page.Path}:{block.Line}: skipped: {block.Skip}");
            }
            else if (unmet.Count > 0)
            {
                skipped.Add($"{page.Path}:{block.Line}: skipped: requires {string.Join(", ", unmet)}, not here");
            }
            else
            {
                run.Add(block);
            }
        }

        var root = Directory.CreateTempSubdirectory("hpctune-docs-").FullName;
        try
        {
            var work = Directory.CreateDirectory(Path.Combine(root, "work")).FullName;
            var runner = Directory.CreateDirectory(Path.Combine(root, "runner")).FullName;
            var output = Path.Combine(runner, "output.txt");
            var driver = WriteDriver(run, settings, runner, output);
            var clock = Stopwatch.StartNew();
            var exit = await RunShellAsync(driver, work, settings.Timeout, cancellationToken);
            var elapsed = clock.Elapsed;
            var text = File.Exists(output) ? await File.ReadAllTextAsync(output, cancellationToken) : "";
            return Judge(page, run, exit, text, settings.Timeout, skipped) with { Elapsed = elapsed };
        }
        finally
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // A file a killed job still held; the temporary folder is cleaned by the system.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static string WriteDriver(List<DocBlock> blocks, DocRunSettings settings, string runner, string output)
    {
        var bin = Directory.CreateDirectory(Path.Combine(runner, "bin")).FullName;
        foreach (var name in new[] { "hpctune", "HpcTune" })
        {
            var wrapper = Path.Combine(bin, name);
            File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet {Quote(settings.CliDll)} \"$@\"\n");
        }

        var script = new StringBuilder();
        script.Append("exec > ").Append(Quote(output)).AppendLine(" 2>&1 < /dev/null");
        script.AppendLine("set -eo pipefail");
        script.Append("chmod 755 ").Append(Quote(bin)).AppendLine("/*");
        script.Append("export PATH=").Append(Quote(bin)).AppendLine(":\"$PATH\"");
        script.Append("export H=hpctune REPO=").AppendLine(Quote(settings.RepoRoot));
        script.AppendLine("export TERM=dumb DOTNET_NOLOGO=1");
        foreach (var block in blocks)
        {
            var file = Path.Combine(runner, $"block-{block.Line}.sh");
            File.WriteAllText(file, block.Code);
            script.Append("echo ").Append(Quote(Marker + block.Line)).AppendLine();
            script.Append("source ").AppendLine(Quote(file));
        }

        script.Append("echo ").AppendLine(Quote(EndMarker));
        var driver = Path.Combine(runner, "driver.sh");
        File.WriteAllText(driver, script.ToString());
        return driver;
    }

    /// <summary>The exit code, or null when the shell ran past <paramref name="limit"/> (it and its session are killed).</summary>
    private static async Task<int?> RunShellAsync(string driver, string work, TimeSpan limit, CancellationToken cancellationToken)
    {
        // setsid: the shell leads a session and process group of its own, which is killed as a whole at the end.
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, WorkingDirectory = work };
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(driver);
        using var shell = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        int? exit;
        try
        {
            await shell.WaitForExitAsync(deadline.Token);
            exit = shell.ExitCode;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            exit = null;
        }

        KillGroup(shell.Id);
        if (!shell.HasExited)
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync(CancellationToken.None);
        }

        return exit;
    }

    private static void KillGroup(int leader)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", $"-{leader}"]) { UseShellExecute = false, RedirectStandardError = true })!;
        kill.WaitForExit(); // "no such process" when nothing is left: fine
    }

    private static DocRunResult Judge(DocPage page, List<DocBlock> blocks, int? exit, string output, TimeSpan limit, List<string> skipped)
    {
        if (exit == 0 && output.Contains(EndMarker, StringComparison.Ordinal))
        {
            return new DocRunResult(true, $"{page.Path}: {blocks.Count} block(s) ran", skipped, output);
        }

        // The block that was running: the last marker in the output.
        var at = output.LastIndexOf(Marker, StringComparison.Ordinal);
        var line = at < 0 ? (int?)null : int.Parse(output.AsSpan(at + Marker.Length, output.IndexOf('\n', at) - at - Marker.Length), System.Globalization.CultureInfo.InvariantCulture);
        var block = blocks.FirstOrDefault(b => b.Line == line);
        var blockOutput = at < 0 ? output : output[(output.IndexOf('\n', at) + 1)..];
        var why = exit switch
        {
            null => $"ran past the page's limit of {limit.TotalSeconds:0} s",
            0 => "ended the shell before the page's last block (an exit in the block?)",
            _ => $"failed with exit {exit}",
        };
        var report = new StringBuilder();
        report.Append(page.Path).Append(':').Append(line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?").Append(": the block ").AppendLine(why);
        report.AppendLine("--- block").Append(block?.Code ?? "(before the first block)");
        report.AppendLine("--- its output").AppendLine(Tail(blockOutput, 6000));
        return new DocRunResult(false, report.ToString(), skipped, output);
    }

    private static string Tail(string text, int characters) => text.Length <= characters ? text : "..." + text[^characters..];

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
