namespace HpcTune.Cli.Display;

/// <summary>
/// Whether standard output is a terminal a person watches, and keeping terminal control codes out of output that is
/// not. OpenMPI's <c>mpiexec</c> gives each rank a pseudo-terminal as standard output and copies what the ranks write
/// into its own, which is usually a file: to .NET such a rank's output is a terminal, and the first console write sends
/// the terminal description's keypad-transmit sequence (<c>ESC[?1h ESC=</c> for xterm) into that file.
/// </summary>
internal static class Terminal
{
    /// <summary>What OpenMPI, MPICH/Hydra and PMIx launchers set in each rank's environment.</summary>
    private static readonly string[] LauncherVariables = ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"];

    /// <summary>True when an MPI launcher started this process (a job of one rank too).</summary>
    public static bool UnderMpiLauncher => LauncherVariables.Any(name => Environment.GetEnvironmentVariable(name) is { Length: > 0 });

    /// <summary>
    /// True when standard output is a terminal a person reads: not redirected, not a rank's pseudo-terminal, and a
    /// <c>TERM</c> that can move the cursor (not unset or <c>dumb</c>). Only then is progress drawn live.
    /// </summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && !UnderMpiLauncher && CapableTerm;

    /// <summary>
    /// True when log lines on standard error may be coloured: it is a terminal (not a file or an MPI launcher's pipe),
    /// <c>TERM</c> is capable and <c>NO_COLOR</c> is not set (no-color.org).
    /// </summary>
    public static bool ColorOnStandardError =>
        !Console.IsErrorRedirected && !UnderMpiLauncher && CapableTerm && Environment.GetEnvironmentVariable("NO_COLOR") is not { Length: > 0 };

    private static bool CapableTerm => Environment.GetEnvironmentVariable("TERM") is { Length: > 0 } term && term != "dumb";

    /// <summary>
    /// Call before anything writes to the console. Where standard output is a terminal that no person reads (an MPI
    /// rank's), the console starts without a terminal description, so it writes no control codes; <c>TERM</c> is
    /// restored at once for the objectives this process starts.
    /// </summary>
    public static void Prepare()
    {
        if (Console.IsOutputRedirected || !UnderMpiLauncher)
        {
            return;
        }

        var term = Environment.GetEnvironmentVariable("TERM");
        Environment.SetEnvironmentVariable("TERM", null);
        try
        {
            // A console write starts the console, which reads the terminal description now, once for the process:
            // without TERM there is none, so no keypad-transmit sequence, now or when a child process ends.
            using var output = Console.OpenStandardOutput();
            output.Write([]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TERM", term);
        }
    }
}
