using System.Globalization;
using HpcTune.Trials;

namespace HpcTune.Tuning;

/// <summary>
/// When each open trial was handed out and when its worker was last heard of. Not journaled: after a restart every
/// open trial is interrupted anyway (its worker belonged to the old job), so leases only matter within one run.
/// </summary>
internal sealed class LeaseBook(TimeSpan period, TimeSpan? trialTimeout)
{
    private readonly Dictionary<long, (DateTimeOffset Issued, DateTimeOffset Renewed)> _leases = [];

    /// <summary>Follows the trial events: a hand-out starts a lease, every way of leaving Open ends it.</summary>
    public void Track(StudyEvent e)
    {
        switch (e)
        {
            case TrialCreated c:
                _leases[c.TrialId] = (c.Time, c.Time);
                break;
            case TrialReissued r:
                _leases[r.TrialId] = (r.Time, r.Time);
                break;
            case TrialObserved or TrialFailed or TrialInterrupted or TrialDeleted or TrialPruned:
                _leases.Remove(StudyState.TrialIdOf(e));
                break;
        }
    }

    public void Renew(long trialId, DateTimeOffset now)
    {
        if (_leases.TryGetValue(trialId, out var lease))
        {
            _leases[trialId] = lease with { Renewed = now };
        }
    }

    /// <summary>
    /// Why the lease of open <paramref name="trial"/> has run out at <paramref name="now"/>, or null. A worker must be
    /// heard of within one period; and with a trial timeout, a worker that has not reported one period after the
    /// timeout (it should have killed the evaluation and reported a failure itself) is taken to be hung.
    /// </summary>
    public string? Expiry(Trial trial, DateTimeOffset now)
    {
        if (!_leases.TryGetValue(trial.Id, out var lease))
        {
            _leases[trial.Id] = (now, now); // open when this tuner was restored: its lease starts now
            return null;
        }

        var silent = now - lease.Renewed;
        if (silent > period)
        {
            return $"lease expired: nothing heard from {trial.Worker} for {Seconds(silent)} s (lease {Seconds(period)} s)";
        }

        var running = now - lease.Issued;
        return trialTimeout is { } timeout && running > timeout + period
            ? $"lease expired: {trial.Worker} has run it for {Seconds(running)} s, more than the trial timeout of {Seconds(timeout)} s plus the lease of {Seconds(period)} s"
            : null;
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
