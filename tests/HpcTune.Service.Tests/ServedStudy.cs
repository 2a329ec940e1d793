using HpcTune.Cli.Tests;
using HpcTune.Client;
using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary>
/// A <see cref="ServerUnderTest"/> serving a client workspace's checkpoint, seen as the C# client sees it: its URL as
/// a <see cref="Uri"/> and client options with its token. Started again on the same checkpoint and port after a kill.
/// </summary>
internal sealed class ServedStudy : IAsyncDisposable
{
    private readonly ServerUnderTest _server;

    private ServedStudy(ServerUnderTest server)
    {
        _server = server;
        Url = new Uri(server.Url);
    }

    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>What the server wrote to standard error (complete once it exited).</summary>
    public string Stderr => _server.Stderr();

    /// <summary>Starts <c>serve</c> on the workspace's checkpoint (with its study when new); port 0 picks a free one.</summary>
    public static async Task<ServedStudy> StartAsync(ClientWorkspace workspace, string? study, int port = 0, params string[] extra) =>
        new(await ServerUnderTest.StartAsync(workspace.Checkpoint,
            ["--checkpoint", workspace.Checkpoint, .. study is null ? Array.Empty<string>() : ["--study", study], "--listen", $"127.0.0.1:{port}", .. extra]));

    /// <summary>Client options for this server with its token; a short retry time unless given.</summary>
    public ExperimentClientOptions Options(ClientWorkspace workspace, string? worker = null, TimeSpan? retry = null) => new()
    {
        Url = Url,
        TokenFile = workspace.TokenFile,
        Worker = worker,
        RetryTimeout = retry ?? TimeSpan.FromSeconds(20),
        FirstRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(500),
        SuggestWait = TimeSpan.FromSeconds(5),
    };

    /// <summary>Runs <c>HpcTune ARGUMENTS --connect URL --token-file TOKEN</c> in the workspace.</summary>
    public Task<HpcTuneProcess.Result> RunCliAsync(ClientWorkspace workspace, params string[] arguments) =>
        HpcTuneProcess.RunInAsync(workspace.Path, [.. arguments, "--connect", Url.ToString(), "--token-file", workspace.TokenFile]);

    /// <summary>SIGKILL, as a crash or an OOM killer would; returns once the process is gone.</summary>
    public Task KillAsync() => _server.KillAsync();

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
