namespace HpcTune.Client;

/// <summary>Ends one evaluation of the worker loop when a report's answer is to stop, and remembers why.</summary>
internal sealed class TrialStop(CancellationTokenSource abandon)
{
    private string? _reason;

    /// <summary>Why the study stopped the trial; null while it goes on.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public async Task StopAsync(string reason)
    {
        Volatile.Write(ref _reason, reason);
        await abandon.CancelAsync().ConfigureAwait(false);
    }
}
