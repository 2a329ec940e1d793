namespace HpcTune.Client;

/// <summary>A served study's progress: counts, best trial or Pareto front, and times.</summary>
public sealed class StudyStatistics
{
    internal StudyStatistics()
    {
    }

    /// <summary>The study's id on the server.</summary>
    public string Id { get; internal init; } = "";

    /// <summary>Running, done, broken or stopped.</summary>
    public RemoteStudyStatus Status { get; internal init; }

    /// <summary>Trials per state.</summary>
    public TrialCounts Counts { get; internal init; } = new();

    /// <summary>How many completed (or pruned) observations end the study.</summary>
    public int ObservationBudget { get; internal init; }

    /// <summary>The best completed trial of a study with one objective; null before the first.</summary>
    public RemoteTrial? Best { get; internal init; }

    /// <summary>The completed trials no other dominates, for a study with several objectives.</summary>
    public IReadOnlyList<RemoteTrial> ParetoFront { get; internal init; } = [];

    /// <summary>When the study started.</summary>
    public DateTimeOffset? Start { get; internal init; }

    /// <summary>When it finished; null while it runs.</summary>
    public DateTimeOffset? Finish { get; internal init; }

    /// <summary>How long it has run (or ran).</summary>
    public TimeSpan Duration { get; internal init; }

    /// <summary>Workers holding open trials now: name → how many.</summary>
    public IReadOnlyDictionary<string, int> OpenByWorker { get; internal init; } = new Dictionary<string, int>();
}
