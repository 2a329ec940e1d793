using System.Net;
using System.Net.Sockets;
using HpcTune.Cli.Tests;

namespace HpcTune.Service.Tests;

/// <summary>What the verbs that talk to a server refuse, and how they exit: duplicates 4, a wrong token 2, no server 3.</summary>
public sealed class RemoteCliRefusalTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task Insert_over_the_network_and_a_duplicate_exits_4()
    {
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 10));

        var inserted = await server.RunCliAsync(_w, "insert", "--params", """{"x1": 0.5, "x2": 7}""", "--values", """{"value": 14.5}""");
        Assert.True(inserted.ExitCode == 0, inserted.ToString());
        Assert.Contains("inserted trial", inserted.Stdout, StringComparison.Ordinal);
        var duplicate = await server.RunCliAsync(_w, "insert", "--params", """{"x1": 0.5, "x2": 7}""");
        Assert.True(duplicate.ExitCode == 4, duplicate.ToString());
        Assert.Contains("duplicate", duplicate.Stderr, StringComparison.Ordinal);
        var outside = await server.RunCliAsync(_w, "insert", "--params", """{"x1": 50, "x2": 7}""");
        Assert.True(outside.ExitCode == 2, outside.ToString());
        Assert.Contains("x1", outside.Stderr, StringComparison.Ordinal);
        var both = await HpcTuneProcess.RunInAsync(_w.Path, "insert", "--params", """{"x1": 1, "x2": 1}""", "--checkpoint", _w.Checkpoint, "--connect", server.Url.ToString());
        Assert.True(both.ExitCode == 2, both.ToString());
    }

    [Fact]
    public async Task A_wrong_token_is_refused_with_a_clear_error_and_an_unreachable_server_exits_3()
    {
        await using (var server = await ServedStudy.StartAsync(_w, _w.Study()))
        {
            var wrongFile = _w.Write("wrong-token", "not-the-token\n");
            var wrong = await HpcTuneProcess.RunInAsync(_w.Path, "ask", "--connect", server.Url.ToString(), "--token-file", wrongFile);
            Assert.True(wrong.ExitCode == 2, wrong.ToString());
            Assert.Contains("refused the token", wrong.Stderr, StringComparison.Ordinal);
            var none = await HpcTuneProcess.RunInAsync(_w.Path, new Dictionary<string, string> { ["HPCTUNE_TOKEN"] = "" }, "trials", "--connect", server.Url.ToString());
            Assert.True(none.ExitCode == 2, none.ToString());
            Assert.Contains("HPCTUNE_TOKEN", none.Stderr, StringComparison.Ordinal);
            var fromVariable = await HpcTuneProcess.RunInAsync(_w.Path, new Dictionary<string, string> { ["HPCTUNE_TOKEN"] = File.ReadAllText(_w.TokenFile).Trim() }, "trials", "--connect", server.Url.ToString());
            Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());
        }

        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var gone = await HpcTuneProcess.RunInAsync(_w.Path, "trials", "--connect", $"http://127.0.0.1:{port}", "--token-file", _w.TokenFile, "--retry-timeout", "1");
        Assert.True(gone.ExitCode == 3, gone.ToString());
        Assert.Contains($"127.0.0.1:{port}", gone.Stderr, StringComparison.Ordinal);
        Assert.Contains("did not answer", gone.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _w.Dispose();
}
