using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcTune.Gp.LinearAlgebra;

/// <summary>
/// Chooses the linear algebra at run time: <c>managed</c>, <c>native</c> (libhpctune_la, an error if it does
/// not load) or <c>auto</c> (native when it loads, else managed). The choice comes from the caller or the
/// HPCTUNE_LINALG environment variable, is logged once with its reason, and caps BLAS threads so that many
/// ranks on one node do not each start one thread per core.
/// </summary>
public static class LinearAlgebraProviders
{
    private static readonly Lock Gate = new();
    private static ILinearAlgebra? _default;

    /// <summary>The names a selection accepts.</summary>
    public static IReadOnlyList<string> Modes { get; } = ["auto", "managed", "native"];

    /// <summary>The provider chosen by <see cref="Configure"/>, or by HPCTUNE_LINALG (default auto) on first use.</summary>
    public static ILinearAlgebra Default
    {
        get
        {
            lock (Gate)
            {
                return _default ??= Select(Environment.GetEnvironmentVariable("HPCTUNE_LINALG"), null, NullLogger.Instance);
            }
        }
    }

    /// <summary>Selects the process-wide default provider (the CLI calls this once at start).</summary>
    public static ILinearAlgebra Configure(string? mode, int? blasThreads, ILogger? logger)
    {
        var selected = Select(mode ?? Environment.GetEnvironmentVariable("HPCTUNE_LINALG"), blasThreads, logger ?? NullLogger.Instance);
        lock (Gate)
        {
            _default = selected;
        }

        return selected;
    }

    /// <summary>A provider for <paramref name="mode"/> (null: auto); BLAS threads default to this process's cores.</summary>
    /// <exception cref="ArgumentException">An unknown mode, or native that cannot be loaded (the message says why).</exception>
    public static ILinearAlgebra Select(string? mode, int? blasThreads, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        mode = string.IsNullOrWhiteSpace(mode) ? "auto" : mode.Trim().ToLowerInvariant();
        if (!Modes.Contains(mode))
        {
            throw new ArgumentException($"unknown linear algebra '{mode}'; expected one of {string.Join(", ", Modes)} (option --linalg or HPCTUNE_LINALG)");
        }

        if (blasThreads is < 1)
        {
            throw new ArgumentException($"the BLAS thread count must be at least 1, got {blasThreads} (option --blas-threads)");
        }

        if (mode == "managed")
        {
            logger.LinearAlgebraChosen(ManagedLinearAlgebra.Instance.Name, "asked for");
            return ManagedLinearAlgebra.Instance;
        }

        var native = NativeLinearAlgebra.TryCreate(out var reason);
        if (native is null)
        {
            if (mode == "native")
            {
                throw new ArgumentException($"native linear algebra was asked for but {reason}");
            }

            logger.LinearAlgebraChosen(ManagedLinearAlgebra.Instance.Name, reason);
            return ManagedLinearAlgebra.Instance;
        }

        // Environment.ProcessorCount honours this process's affinity mask and cgroup quota; the CLI passes its share
        // of them instead when mpiexec put several ranks on the node (CoreShare).
        var threads = native.SetThreads(blasThreads ?? Environment.ProcessorCount);
        var detail = $"{reason}; {threads switch { 1 => "1 BLAS thread", > 1 => $"{threads} BLAS threads", _ => "BLAS thread count not settable" }}";
        logger.LinearAlgebraChosen(native.Name, detail);
        return native;
    }
}
