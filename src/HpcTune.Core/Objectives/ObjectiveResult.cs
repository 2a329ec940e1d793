using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Objectives;

/// <summary>The outcome of one evaluation: metric values, or a failure reason; metadata either way.</summary>
public sealed class ObjectiveResult
{
    private ObjectiveResult(IReadOnlyDictionary<string, double>? values, string? failureReason, IReadOnlyDictionary<string, Scalar>? metadata)
    {
        Values = values;
        FailureReason = failureReason;
        Metadata = metadata ?? Trial.EmptyMetadata;
    }

    /// <summary>Metric values, or null for a failure.</summary>
    public IReadOnlyDictionary<string, double>? Values { get; }

    /// <summary>Why the evaluation failed, or null.</summary>
    public string? FailureReason { get; }

    /// <summary>Metadata to record with the trial.</summary>
    public IReadOnlyDictionary<string, Scalar> Metadata { get; }

    /// <summary>True for a failure.</summary>
    public bool IsFailure => FailureReason is not null;

    /// <summary>A success with several metric values.</summary>
    public static ObjectiveResult Success(IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, Scalar>? metadata = null) =>
        new(values ?? throw new ArgumentNullException(nameof(values)), null, metadata);

    /// <summary>A success with one metric value.</summary>
    public static ObjectiveResult Success(string metric, double value, IReadOnlyDictionary<string, Scalar>? metadata = null) =>
        new(new Dictionary<string, double> { [metric] = value }, null, metadata);

    /// <summary>A failure.</summary>
    public static ObjectiveResult Failure(string reason, IReadOnlyDictionary<string, Scalar>? metadata = null) =>
        new(null, string.IsNullOrWhiteSpace(reason) ? "failed (no reason given)" : reason, metadata);
}
