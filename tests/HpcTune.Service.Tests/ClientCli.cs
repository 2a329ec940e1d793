using System.Diagnostics;

namespace HpcTune.Service.Tests;

/// <summary>Runs the real <c>HpcTune.dll</c> (copied next to the tests) as a child process, output redirected.</summary>
internal static class ClientCli
{
    public static string DllPath => Path.Combine(AppContext.BaseDirectory, "HpcTune.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Starts HpcTune in <paramref name="workingDirectory"/>; the caller reads its output and waits for it.</summary>
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
        start.Environment.Remove("HPCTUNE_TOKEN"); // each test says where its token comes from
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

    public static Task<Result> RunAsync(string workingDirectory, params string[] arguments) => RunAsync(workingDirectory, null, arguments);

    public static async Task<Result> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Start(workingDirectory, environment, arguments);
        return await CollectAsync(process, TimeSpan.FromSeconds(50));
    }

    /// <summary>Reads a started child's output until it exits; past <paramref name="limit"/> kills it and fails.</summary>
    public static async Task<Result> CollectAsync(Process process, TimeSpan limit)
    {
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
            process.Kill(entireProcessTree: true);
            Assert.Fail($"HpcTune {string.Join(' ', process.StartInfo.ArgumentList.Skip(1))} did not exit within {limit.TotalSeconds} s; stderr so far:\n{await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
