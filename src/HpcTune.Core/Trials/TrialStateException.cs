namespace HpcTune.Trials;

/// <summary>
/// An operation named a trial that does not exist or is in a state that forbids it
/// (observing a completed trial, releasing a deleted one, ...). The message names the trial and its state.
/// </summary>
public sealed class TrialStateException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public TrialStateException(long trialId, string message)
        : base(message)
    {
        TrialId = trialId;
    }

    /// <summary>The trial the operation named.</summary>
    public long TrialId { get; }
}
