using System.Text.Json;
using System.Text.RegularExpressions;
using HpcTune.Journal;

namespace HpcTune.Cli.Tests;

/// <summary>
/// What the real CLI writes to a terminal and to files: no terminal codes in redirected output (stdin on a
/// pseudo-terminal, with NO_COLOR, with TERM=dumb), a live display with an ETA on a terminal, <c>--quiet</c>, and
/// <c>--log-format json</c>.
/// </summary>
public sealed partial class TerminalOutputTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private string[] RunArguments(int budget, params string[] extra) =>
        ["run", "--study", _w.Study(budget: budget, bandwidth: 2), "--checkpoint", _w.Checkpoint, .. extra, "--command", Workspace.Python, _w.QuadraticObjective(), "{x}", "{y}", _w.Combine("side.txt")];

    [Theory]
    [InlineData("xterm", false)]
    [InlineData("xterm", true)]
    [InlineData("dumb", false)]
    public async Task Redirected_output_holds_no_terminal_codes_while_stdin_is_a_terminal(string term, bool noColor)
    {
        var environment = new Dictionary<string, string> { ["TERM"] = term };
        if (noColor)
        {
            environment["NO_COLOR"] = "1";
        }

        var command = $"{PseudoTerminal.HpcTune(RunArguments(8))} > out.txt 2> err.txt";
        var result = await PseudoTerminal.RunAsync(_w.Path, command, environment);
        Assert.True(result.ExitCode == 0, result.Stdout + File.ReadAllText(_w.Combine("err.txt")));
        var stdout = File.ReadAllBytes(_w.Combine("out.txt"));
        Assert.DoesNotContain((byte)0x1b, stdout);
        Assert.DoesNotContain((byte)0x1b, File.ReadAllBytes(_w.Combine("err.txt")));
        var text = System.Text.Encoding.UTF8.GetString(stdout);
        Assert.Contains("| done 8/8 ", text, StringComparison.Ordinal); // plain lines, one per trial
        Assert.DoesNotContain("ETA", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_terminal_gets_a_live_display_with_an_eta()
    {
        var result = await PseudoTerminal.RunAsync(_w.Path, PseudoTerminal.HpcTune(RunArguments(8)), new Dictionary<string, string> { ["TERM"] = "xterm" });
        Assert.True(result.ExitCode == 0, result.Stdout);
        Assert.Matches(EtaPattern(), result.Stdout);
        Assert.Contains("done 8/8  running 0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("best loss ", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("| done ", result.Stdout, StringComparison.Ordinal); // no plain lines besides
        Assert.Contains("study 'cli-test' completed: 8/8 completed", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dumb_terminal_gets_plain_lines()
    {
        var result = await PseudoTerminal.RunAsync(_w.Path, PseudoTerminal.HpcTune(RunArguments(6)), new Dictionary<string, string> { ["TERM"] = "dumb" });
        Assert.True(result.ExitCode == 0, result.Stdout);
        Assert.Contains("| done 6/6 ", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ETA", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.Stdout);
    }

    [Fact]
    public async Task Quiet_prints_only_the_result()
    {
        var result = await HpcTuneProcess.RunInAsync(_w.Path, RunArguments(6, "--quiet"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("", result.Stderr);
        var lines = result.StdoutLines;
        Assert.Equal(5, lines.Length); // how it ended, the best trial, its three parameters
        Assert.StartsWith("study 'cli-test' completed: 6/6 completed, 0 failed, in ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^best trial \d+: loss = ", lines[1]);
        Assert.Equal(["x =", "y =", "k ="], lines[2..].Select(l => l[..3]));

        var demo = await HpcTuneProcess.RunInAsync(_w.Path, "demo", "--objective", "branin", "--budget", "6", "--workers", "2", "--algorithm", "random", "--seed", "1", "-q");
        Assert.True(demo.ExitCode == 0, demo.Stderr);
        Assert.Equal("", demo.Stderr);
        Assert.StartsWith("study 'branin' completed: 6/6 completed", demo.StdoutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("known minimum of branin: ", demo.StdoutLines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(demo.StdoutLines, l => l.Contains("| done ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_logs_are_one_object_per_line_with_a_line_per_finished_trial()
    {
        // Trials with x above 1 fail: a warning-worthy outcome among the completed ones.
        var objective = _w.Write("objective.py", """
            import sys
            x = float(sys.argv[1])
            if x > 1:
                sys.exit("x too large")
            print(x * x)
            """);
        var result = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", _w.Study(budget: 8, bandwidth: 2), "--checkpoint", _w.Checkpoint, "--log-format", "json",
            "--command", Workspace.Python, objective, "{x}");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var trials = Checkpoint.Read(_w.Checkpoint).State.Trials;
        var events = new List<JsonElement>();
        foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var parsed = JsonDocument.Parse(line); // every line of stderr is one JSON object
            var root = parsed.RootElement.Clone();
            Assert.True(root.GetProperty("Timestamp").TryGetDateTimeOffset(out _), line);
            Assert.Contains(root.GetProperty("LogLevel").GetString(), new[] { "Information", "Warning", "Error" });
            Assert.False(string.IsNullOrEmpty(root.GetProperty("Message").GetString()), line);
            if (root.GetProperty("EventId").GetInt32() == 110)
            {
                events.Add(root);
            }
        }

        Assert.Equal(trials.Count, events.Count); // one line per finished trial, completed or failed
        foreach (var e in events)
        {
            var state = e.GetProperty("State");
            var trial = trials.Single(t => t.Id == state.GetProperty("TrialId").GetInt64());
            Assert.Equal(trial.Worker, state.GetProperty("Worker").GetString());
            Assert.Equal(trial.State.ToString().ToLowerInvariant(), state.GetProperty("State").GetString());
        }

        Assert.DoesNotContain(result.StdoutLines, l => l.Contains("| done ", StringComparison.Ordinal)); // the trial lines went to the log

        // An error is a JSON line too.
        var bad = await HpcTuneProcess.RunInAsync(_w.Path, "run", "--study", _w.Combine("missing.json"), "--checkpoint", _w.Combine("other"), "--objective", "builtin:branin", "--log-format", "json");
        Assert.Equal(2, bad.ExitCode);
        var error = JsonDocument.Parse(bad.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Single(l => l.Contains("\"Error\"", StringComparison.Ordinal))).RootElement;
        Assert.Contains("missing.json", error.GetProperty("Message").GetString(), StringComparison.Ordinal);

        var unknown = await HpcTuneProcess.RunInAsync(_w.Path, "status", "--checkpoint", _w.Checkpoint, "--log-format", "xml");
        Assert.Equal((2, "error: --log-format must be text or json, got 'xml'\n"), (unknown.ExitCode, unknown.Stderr));
    }

    [GeneratedRegex(@"ETA \d+:\d\d:\d\d")]
    private static partial Regex EtaPattern();
}
