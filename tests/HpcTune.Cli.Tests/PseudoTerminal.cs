using System.Diagnostics;

namespace HpcTune.Cli.Tests;

/// <summary>
/// Runs a shell command on a pseudo-terminal with util-linux's <c>script</c> (bsdutils): its standard input, and its
/// output where the command does not redirect it, are the terminal; what the terminal showed comes back as stdout.
/// </summary>
internal static class PseudoTerminal
{
    public static async Task<HpcTuneProcess.Result> RunAsync(string workingDirectory, string shellCommand, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("script")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])["--quiet", "--return", "--command", shellCommand, "/dev/null"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        return await HpcTuneProcess.CollectAsync(process, TimeSpan.FromMinutes(3), () => process.Kill(entireProcessTree: true));
    }

    /// <summary><paramref name="value"/> quoted for a POSIX shell.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary><c>dotnet HpcTune.dll ARGS...</c>, quoted for a POSIX shell.</summary>
    public static string HpcTune(params string[] arguments) => string.Join(' ', ["dotnet", Quote(HpcTuneProcess.DllPath), .. arguments.Select(Quote)]);
}
