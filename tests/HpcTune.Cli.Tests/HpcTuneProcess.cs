using System.Diagnostics;

namespace HpcTune.Cli.Tests;

/// <summary>Runs the real <c>HpcTune.dll</c> as a child process, output redirected.</summary>
internal static class HpcTuneProcess
{
    /// <summary>The HpcTune.dll copied next to the tests, or HPCTUNE_CLI_DLL's (an older build, to see a test fail before a fix).</summary>
    public static string DllPath => Environment.GetEnvironmentVariable("HPCTUNE_CLI_DLL") is { Length: > 0 } other ? other : Path.Combine(AppContext.BaseDirectory, "HpcTune.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Starts HpcTune with <paramref name="arguments"/>; the caller reads its output and waits for it.</summary>
    public static Process Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, null, arguments);

    /// <summary>Starts HpcTune with <paramref name="arguments"/> and <paramref name="environment"/> added to this process's.</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(DllPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    public static Task<Result> RunAsync(params string[] arguments) => RunInAsync(Environment.CurrentDirectory, arguments);

    public static Task<Result> RunInAsync(string workingDirectory, params string[] arguments) => RunInAsync(workingDirectory, null, arguments);

    public static async Task<Result> RunInAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Start(workingDirectory, environment, arguments);
        return await CollectAsync(process, TimeSpan.FromMinutes(2), () => process.Kill(entireProcessTree: true));
    }

    /// <summary>Reads a started child's output until it exits; past <paramref name="limit"/> calls <paramref name="kill"/> and fails.</summary>
    public static async Task<Result> CollectAsync(Process process, TimeSpan limit, Action kill)
    {
        ArgumentNullException.ThrowIfNull(process);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(limit); // a hung child must fail the test, not the CI run
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            kill();
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Reads standard error line by line until a line contains <paramref name="marker"/>; returns what it read.</summary>
    public static async Task<string> ReadErrorUntilAsync(Process process, string marker)
    {
        ArgumentNullException.ThrowIfNull(process);
        var read = new System.Text.StringBuilder();
        while (await process.StandardError.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            read.AppendLine(line);
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                break;
            }
        }

        return read.ToString();
    }
}
