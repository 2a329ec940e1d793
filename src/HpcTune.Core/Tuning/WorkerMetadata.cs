using HpcTune.Objectives;
using HpcTune.Values;

namespace HpcTune.Tuning;

/// <summary>
/// Where a result was computed, recorded with it as an MPI rank's is (<c>hostname</c>, and here <c>pid</c> for the
/// in-process worker threads): HpcTune's own keys, set over any an objective gave.
/// </summary>
internal static class WorkerMetadata
{
    private static readonly string Host = Environment.MachineName;

    /// <summary>This process's <c>hostname</c> and <c>pid</c>, the labels an in-process worker joins with.</summary>
    public static IReadOnlyDictionary<string, Scalar> Labels { get; } = new Dictionary<string, Scalar>(StringComparer.Ordinal)
    {
        ["hostname"] = Host,
        ["pid"] = Environment.ProcessId,
    };
}
