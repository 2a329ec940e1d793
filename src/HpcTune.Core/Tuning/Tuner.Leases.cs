using HpcTune.Trials;

namespace HpcTune.Tuning;

// The tuner, part: Trials whose workers let go or fall silent: releases, deletions, heartbeats and lease expiry.
public sealed partial class Tuner
{
    /// <summary>Gives an open trial back: it becomes Interrupted and is the next one handed out.</summary>
    public Trial Release(long trialId, string reason = "released by its worker") =>
        Finish(trialId, new TrialInterrupted(trialId, reason, _time.GetUtcNow()), checkValues: false);

    /// <summary>Marks every open trial Interrupted (its worker is gone), so it is handed out again first; returns how many.</summary>
    public int InterruptOpen(string reason)
    {
        var count = 0;
        foreach (var trial in OpenSuggestions().Where(t => t.State == TrialState.Open))
        {
            try
            {
                Release(trial.Id, reason);
                count++;
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime.
            }
        }

        return count;
    }

    /// <summary>Drops an open or interrupted trial; a result that arrives for it later is rejected.</summary>
    public Trial Delete(long trialId) => Finish(trialId, new TrialDeleted(trialId, _time.GetUtcNow()), checkValues: false);

    /// <summary>Drops every open and interrupted trial; returns how many.</summary>
    public int DeleteOpen()
    {
        var count = 0;
        foreach (var trial in OpenSuggestions())
        {
            try
            {
                Delete(trial.Id);
                count++;
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime: that observation stands.
            }
        }

        return count;
    }

    /// <summary>
    /// <paramref name="worker"/> is still evaluating trial <paramref name="trialId"/>: renews its lease when the trial is
    /// still the worker's, and says whether to go on.
    /// </summary>
    /// <exception cref="TrialStateException">There is no such trial.</exception>
    public HeartbeatAnswer Heartbeat(long trialId, string worker)
    {
        lock (_lock)
        {
            var trial = _state.Find(trialId) ?? throw new TrialStateException(trialId, $"no trial {trialId} (ids run 1..{_state.Trials.Count})");
            if (TrialTransitions.IsFinal(trial.State))
            {
                return HeartbeatAnswer.Finished;
            }

            if (trial.State != TrialState.Open || trial.Worker != worker)
            {
                return HeartbeatAnswer.Reassigned;
            }

            _leases?.Renew(trialId, _time.GetUtcNow());
            return HeartbeatAnswer.Renewed;
        }
    }

    /// <summary>
    /// Interrupts every open trial whose lease has run out (see <see cref="TunerOptions.LeasePeriod"/>), so it is the
    /// next one handed out; returns those trials. Without leases, does nothing.
    /// </summary>
    public IReadOnlyList<Trial> ExpireLeases()
    {
        if (_leases is null)
        {
            return [];
        }

        List<(long Id, string Reason)> due;
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            due = [.. _state.Trials.Where(t => t.State == TrialState.Open).Select(t => (t.Id, Reason: _leases.Expiry(t, now))).Where(x => x.Reason is not null).Select(x => (x.Id, x.Reason!))];
        }

        var expired = new List<Trial>(due.Count);
        foreach (var (id, reason) in due)
        {
            try
            {
                expired.Add(Release(id, reason));
                _logger.LeaseExpired(id, reason);
            }
            catch (TrialStateException)
            {
                // Its result arrived in the meantime.
            }
        }

        return expired;
    }
}
