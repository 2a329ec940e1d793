using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HpcTune.Service.Tests.Serving;

/// <summary>
/// A real <c>HpcTune serve</c> process on a free loopback port, started with the published CLI copied beside the
/// tests; ready once it printed its <c>listening on URL</c> line. Calls go over HTTP/JSON as curl's would.
/// </summary>
internal sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly StringBuilder _stdout = new();

    private ServerUnderTest(Process process, string url, string folder)
    {
        _process = process;
        Url = url;
        Folder = folder;
        _stderr = process.StandardError.ReadToEndAsync();
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public string Url { get; }

    /// <summary>The checkpoint (or root) folder the server holds, where its token is.</summary>
    public string Folder { get; }

    public string Token => File.ReadAllText(Path.Combine(Folder, "token")).Trim();

    public int Port => new Uri(Url).Port;

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>serve</c> with <paramref name="arguments"/> (plus <c>--listen 127.0.0.1:0</c> unless they listen themselves).</summary>
    public static async Task<ServerUnderTest> StartAsync(string folder, params string[] arguments)
    {
        var process = Start(arguments.Contains("--listen") ? arguments : [.. arguments, "--listen", "127.0.0.1:0"]);
        var seen = new StringBuilder();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
            {
                seen.AppendLine(line);
                const string marker = "listening on ";
                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    var server = new ServerUnderTest(process, line[marker.Length..].Trim(), folder);
                    server._stdout.Append(seen);
                    _ = server.DrainStdoutAsync();
                    return server;
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        throw new InvalidOperationException($"serve exited ({process.ExitCode}) before listening:\n{seen}\n{await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
    }

    /// <summary>Runs <c>HpcTune serve</c> expecting it to refuse to start; returns its exit code and standard error.</summary>
    public static async Task<(int ExitCode, string Stderr)> RefusedAsync(params string[] arguments)
    {
        using var process = Start([.. arguments, "--listen", "127.0.0.1:0"]);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("serve started instead of refusing");
        }

        return (process.ExitCode, await stderr);
    }

    private static Process Start(string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "HpcTune.dll"));
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    private async Task DrainStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            lock (_stdout)
            {
                _stdout.AppendLine(line);
            }
        }
    }

    /// <summary>POSTs <paramref name="body"/> as JSON; returns the status and the parsed answer.</summary>
    public async Task<(int Status, JsonNode Body)> PostAsync(string path, object body, HttpClient? client = null)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await (client ?? Http).PostAsync(path, content, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await ParseAsync(response));
    }

    public async Task<(int Status, JsonNode Body)> GetAsync(string path, HttpClient? client = null)
    {
        using var response = await (client ?? Http).GetAsync(path, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await ParseAsync(response));
    }

    /// <summary>POSTs and expects 200; returns the answer.</summary>
    public async Task<JsonNode> OkAsync(string path, object body)
    {
        var (status, answer) = await PostAsync(path, body);
        Assert.True(status == 200, $"POST {path} answered {status}: {answer.ToJsonString()}\n{Stderr()}");
        return answer;
    }

    private static async Task<JsonNode> ParseAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) ?? new JsonObject();
    }

    /// <summary>What the server printed on standard error so far (only complete once it exited).</summary>
    public string Stderr() => _stderr.IsCompleted ? _stderr.Result : "(stderr still open)";

    public string Stdout()
    {
        lock (_stdout)
        {
            return _stdout.ToString();
        }
    }

    /// <summary>kill -9: nothing is flushed, nothing is closed.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>SIGTERM, then the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        _ = Kill(_process.Id, 15);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Waits for the server to exit by itself (<c>--exit-when-done</c>); its exit code.</summary>
    public async Task<int> ExitAsync()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        Http.Dispose();
        _process.Dispose();
    }
}
