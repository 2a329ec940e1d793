namespace HpcTune.Client;

/// <summary>An intermediate result of a trial (CONTRACTS.md §6).</summary>
public sealed class RemoteProgressReport
{
    internal RemoteProgressReport(long step, IReadOnlyDictionary<string, double> values)
    {
        Step = step;
        Values = values;
    }

    /// <summary>The step (iteration, epoch) it was reported at.</summary>
    public long Step { get; }

    /// <summary>Metric name → value at that step.</summary>
    public IReadOnlyDictionary<string, double> Values { get; }
}
