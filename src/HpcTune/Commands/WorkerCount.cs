namespace HpcTune.Cli.Commands;

/// <summary>How many in-process workers <c>run</c>, <c>resume</c> and <c>demo</c> may start.</summary>
internal static class WorkerCount
{
    /// <summary>
    /// Each worker is a task with its own loop, all started at once: a typo like <c>--workers 2000000000</c>, or a
    /// parallel_bandwidth sized for a large MPI job, would otherwise spend minutes and gigabytes before the first trial.
    /// </summary>
    public const int Max = 1024;

    /// <summary><paramref name="workers"/> if it is within 1..<see cref="Max"/>; an <see cref="ArgumentException"/> naming --workers otherwise.</summary>
    public static int Validate(int workers) => workers switch
    {
        < 1 => throw new ArgumentException($"--workers must be at least 1, got {workers}"),
        > Max => throw new ArgumentException($"--workers must be at most {Max} in-process workers (for more, run under mpiexec), got {workers}"),
        _ => workers,
    };

    /// <summary>The workers for a study run without --workers: one per open suggestion, at most <see cref="Max"/>.</summary>
    public static int Default(int parallelBandwidth) => Math.Min(parallelBandwidth, Max);
}
