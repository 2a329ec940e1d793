using System.Diagnostics;
using System.Globalization;
using HpcTune.Study;

namespace HpcTune.Bench.Service;

/// <summary>
/// A real <c>HpcTune serve --checkpoint DIR --study S.json --listen 127.0.0.1:0</c> child process: started, ready once
/// it printed <c>listening on URL</c>, its token read from DIR/token, killed (SIGKILL) at the end. Its output is
/// drained all along so that a chatty server never blocks on a full pipe.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task _stderr;
    private readonly Task _stdout;

    private ServeProcess(Process process, string url, string token, Task stdout, Task stderr)
    {
        _process = process;
        Url = url;
        Token = token;
        _stdout = stdout;
        _stderr = stderr;
    }

    /// <summary>http://127.0.0.1:PORT (https:// with TLS).</summary>
    public string Url { get; }

    /// <summary>The bearer token every call carries.</summary>
    public string Token { get; }

    public int Pid => _process.Id;

    /// <summary>The HpcTune.dll to start: <paramref name="given"/>, HPCTUNE_DLL's, or the one built next to the bench.</summary>
    public static string ResolveCli(string? given)
    {
        var path = given ?? (Environment.GetEnvironmentVariable("HPCTUNE_DLL") is { Length: > 0 } env ? env : Path.Combine(AppContext.BaseDirectory, "HpcTune.dll"));
        return File.Exists(path) ? Path.GetFullPath(path) : throw new ArgumentException($"--cli: no HpcTune.dll at {path} (build the solution, or give --cli PATH/HpcTune.dll)");
    }

    /// <summary>Starts <c>serve</c> on a new checkpoint under <paramref name="directory"/> for <paramref name="study"/>.</summary>
    /// <param name="environment">Variables set for the server only (runtime knobs such as DOTNET_gcServer).</param>
    public static async Task<ServeProcess> StartAsync(string cli, string directory, StudyDefinition study, IReadOnlyList<string> extraArguments, TimeSpan startLimit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var checkpoint = Path.Combine(directory, "ckpt");
        var studyFile = Path.Combine(directory, "study.json");
        await File.WriteAllTextAsync(studyFile, StudyDefinitionJson.Write(study)).ConfigureAwait(false);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        foreach (var argument in (string[])[cli, "serve", "--checkpoint", checkpoint, "--study", studyFile, "--listen", "127.0.0.1:0", .. extraArguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var errors = new System.Text.StringBuilder();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (errors)
                {
                    if (errors.Length < 20_000)
                    {
                        errors.AppendLine(line);
                    }
                }
            }
        });
        using var limit = new CancellationTokenSource(startLimit);
        string? url = null;
        try
        {
            while (url is null && await process.StandardOutput.ReadLineAsync(limit.Token).ConfigureAwait(false) is { } line)
            {
                const string marker = "listening on ";
                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    url = line[marker.Length..].Trim();
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
            await process.WaitForExitAsync().ConfigureAwait(false);
            await stderr.ConfigureAwait(false);
            process.Dispose();
            throw new InvalidOperationException($"serve did not print 'listening on URL' within {startLimit.TotalSeconds:F0} s; it said:\n{errors}");
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var token = (await File.ReadAllTextAsync(Path.Combine(checkpoint, "token")).ConfigureAwait(false)).Trim();
        return new ServeProcess(process, url, token, stdout, stderr);
    }

    /// <summary>
    /// CPU seconds the server has used so far (user + system, from /proc/PID/stat); null where /proc cannot be read.
    /// </summary>
    public double? CpuSeconds()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
            // Fields after the command name (which may hold spaces, so split after its closing parenthesis):
            // state is field 3, utime field 14 and stime field 15, in clock ticks (USER_HZ, 100 on Linux).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // the benchmark's checkpoint is thrown away: no need for a graceful stop
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _stdout.ConfigureAwait(false);
        await _stderr.ConfigureAwait(false);
        _process.Dispose();
    }
}
