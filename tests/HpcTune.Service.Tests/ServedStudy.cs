using System.Diagnostics;
using System.Text;
using HpcTune.Cli.Tests;
using HpcTune.Client;

namespace HpcTune.Service.Tests;

/// <summary>
/// A real <c>HpcTune serve --checkpoint</c> process on loopback: started, found ready by its <c>listening on URL</c>
/// line, killed with SIGKILL, and started again on the same checkpoint and port.
/// </summary>
internal sealed class ServedStudy : IDisposable
{
    private const string ReadyMarker = "listening on ";
    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private readonly Task _drain;

    private ServedStudy(Process process, Uri url, StringBuilder stderr, Task drain)
    {
        _process = process;
        Url = url;
        _stderr = stderr;
        _drain = drain;
    }

    public Uri Url { get; }

    public int Port => Url.Port;

    /// <summary>What the server wrote to standard error so far (for failure messages).</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>serve</c> on the workspace's checkpoint (with its study when new); port 0 picks a free one.</summary>
    public static async Task<ServedStudy> StartAsync(ClientWorkspace workspace, string? study, int port = 0, params string[] extra)
    {
        string[] arguments = ["serve", "--checkpoint", workspace.Checkpoint, .. study is null ? Array.Empty<string>() : ["--study", study], "--listen", $"127.0.0.1:{port}", .. extra];
        var process = HpcTuneProcess.Start(workspace.Path, arguments);
        var stderr = new StringBuilder();
        var readErrors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (stderr)
                {
                    stderr.AppendLine(line);
                }
            }
        });
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        Uri? url = null;
        try
        {
            while (url is null && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.IndexOf(ReadyMarker, StringComparison.Ordinal) is >= 0 and var at)
                {
                    url = new Uri(line[(at + ReadyMarker.Length)..].Trim());
                }
            }
        }
        catch (OperationCanceledException)
        {
            // reported below with what the server said
        }

        if (url is null)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await readErrors;
            Assert.Fail($"serve did not print '{ReadyMarker}URL' (exit {(process.HasExited ? process.ExitCode : -1)}); stderr:\n{stderr}");
        }

        // The rest of stdout is drained so that the server never blocks on a full pipe.
        var drain = Task.WhenAll(readErrors, process.StandardOutput.ReadToEndAsync(CancellationToken.None));
        return new ServedStudy(process, url!, stderr, drain);
    }

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

    /// <summary>SIGKILL, as a crash or an OOM killer would; returns once the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
        await _drain;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
