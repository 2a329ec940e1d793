namespace HpcTune.Trials;

/// <summary>
/// An inserted assignment equals the assignment of trial <see cref="ExistingTrialId"/> (in any state but deleted):
/// the study already has it, so inserting it again would evaluate or count the same point twice.
/// </summary>
public sealed class DuplicateTrialException : InvalidOperationException
{
    /// <summary>Creates the exception; the message names the existing trial and its state.</summary>
    public DuplicateTrialException(long existingTrialId, string message)
        : base(message)
    {
        ExistingTrialId = existingTrialId;
    }

    /// <summary>The trial that already has the assignment.</summary>
    public long ExistingTrialId { get; }
}
