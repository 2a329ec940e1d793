namespace HpcTune.Tuning;

/// <summary>
/// An objective's result named a metric the study does not have, or lacked one it optimizes: the objective and the
/// study disagree, so every later trial would fail the same way, and the study stops at once instead. The trial is
/// interrupted, not failed, so that after the objective is fixed a resume evaluates it again first.
/// </summary>
public sealed class ResultMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception; the message names the trial and both lists of names.</summary>
    public ResultMismatchException(long trialId, IReadOnlyList<string> expected, IReadOnlyList<string> received, string problem)
        : base($"trial {trialId}: the objective's result does not match the study's metrics: {problem}; expected {Names(expected)}, received {Names(received)}. The study stopped; fix the objective and resume (its open trials go out again first)")
    {
        TrialId = trialId;
        Expected = expected;
        Received = received;
    }

    /// <summary>The trial whose result did not match.</summary>
    public long TrialId { get; }

    /// <summary>The study's metric names, in definition order.</summary>
    public IReadOnlyList<string> Expected { get; }

    /// <summary>The metric names the result held.</summary>
    public IReadOnlyList<string> Received { get; }

    private static string Names(IReadOnlyList<string> names) => names.Count == 0 ? "no metric" : string.Join(", ", names.Select(n => $"'{n}'"));
}
