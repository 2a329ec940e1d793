using System.Globalization;
using System.Text.Json;
using HpcTune.Cli.Tests;

namespace HpcTune.Service.Tests;

/// <summary>The verbs for shell scripts (ask, tell, insert, trials) against a real <c>HpcTune serve</c>.</summary>
public sealed class AskTellCliTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task Ask_reserves_trials_tell_records_them_once_and_trials_lists_them()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 10));

        var asked = await server.RunCliAsync(_w, "ask", "--count", "2", "--name", "job-1");
        Assert.True(asked.ExitCode == 0, asked.ToString());
        Assert.Equal(2, asked.StdoutLines.Length);
        var fields = asked.StdoutLines.Select(l => l.Split(' ')).ToList();
        Assert.All(fields, f => Assert.Matches(@"^\d+ x1=\S+ x2=\S+$", string.Join(' ', f)));
        var (first, second) = (fields[0][0], fields[1][0]);
        var again = await server.RunCliAsync(_w, "ask", "--count", "2", "--name", "job-1"); // the same worker gets its trials back
        Assert.Equal(asked.StdoutLines, again.StdoutLines);

        var told = await server.RunCliAsync(_w, "tell", "--trial", first, "--value", "3.25", "--metadata", """{"node": "n3", "gpu": true}""", "--name", "job-1");
        Assert.True(told.ExitCode == 0, told.ToString());
        Assert.Contains("recorded", told.Stdout, StringComparison.Ordinal);
        var retold = await server.RunCliAsync(_w, "tell", "--trial", first, "--value", "3.25", "--metadata", """{"node": "n3", "gpu": true}""", "--name", "job-1");
        Assert.True(retold.ExitCode == 0, retold.ToString());
        Assert.Contains("recorded already", retold.Stdout, StringComparison.Ordinal);
        var failed = await server.RunCliAsync(_w, "tell", "--trial", second, "--failed", "segfault", "--name", "job-1");
        Assert.True(failed.ExitCode == 0, failed.ToString());

        var completed = await server.RunCliAsync(_w, "trials", "--state", "completed");
        Assert.True(completed.ExitCode == 0, completed.ToString());
        var line = Assert.Single(completed.StdoutLines);
        Assert.StartsWith($"{first} completed x1=", line, StringComparison.Ordinal);
        Assert.EndsWith("| value=3.25", line, StringComparison.Ordinal);
        var listed = await server.RunCliAsync(_w, "trials", "--json");
        using var json = JsonDocument.Parse(listed.Stdout);
        var byId = json.RootElement.EnumerateArray().ToDictionary(t => t.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        Assert.Equal("failed", byId[second].GetProperty("state").GetString());
        Assert.Contains("segfault", byId[second].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("n3", byId[first].GetProperty("metadata").GetProperty("node").GetString());
        Assert.True(byId[first].GetProperty("metadata").GetProperty("gpu").GetBoolean());

        // The checkpoint says the same, read while the server holds it.
        var local = await HpcTuneProcess.RunInAsync(_w.Path, "trials", "--checkpoint", _w.Checkpoint, "--state", "completed");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(line, Assert.Single(local.StdoutLines));
    }

    [Fact]
    public async Task Ask_json_prints_the_trials_and_tell_of_another_value_is_a_conflict()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 10));

        var asked = await server.RunCliAsync(_w, "ask", "--json", "--name", "job-2");
        Assert.True(asked.ExitCode == 0, asked.ToString());
        using var json = JsonDocument.Parse(asked.Stdout);
        var trial = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal("open", trial.GetProperty("state").GetString());
        Assert.InRange(trial.GetProperty("parameters").GetProperty("x2").GetDouble(), 0, 15);
        var id = trial.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);

        Assert.Equal(0, (await server.RunCliAsync(_w, "tell", "--trial", id, "--values", """{"value": 1}""", "--name", "job-2")).ExitCode);
        var other = await server.RunCliAsync(_w, "tell", "--trial", id, "--value", "2", "--name", "job-2");
        Assert.True(other.ExitCode == 4, other.ToString());
        var both = await server.RunCliAsync(_w, "tell", "--trial", id, "--value", "2", "--failed", "x");
        Assert.True(both.ExitCode == 2, both.ToString());
        Assert.Contains("exactly one of", both.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _w.Dispose();
}
