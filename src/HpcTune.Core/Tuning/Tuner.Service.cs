using HpcTune.Trials;

namespace HpcTune.Tuning;

// The tuner, part: what a network service needs beyond the workers' calls.
public sealed partial class Tuner
{
    /// <summary>
    /// <paramref name="worker"/> still evaluates trial <paramref name="trialId"/>, which a restart of the master
    /// interrupted (its last holder was <paramref name="worker"/>) and nobody was given since: the trial is handed back
    /// to it (journaled like any re-issue) instead of to another worker. Returns null when the trial is not such a trial.
    /// </summary>
    internal Trial? Reclaim(long trialId, string worker)
    {
        lock (_lock)
        {
            var trial = _state.Find(trialId);
            if (trial is null || trial.State != TrialState.Interrupted || trial.Worker != worker || _stopReason is not null)
            {
                return null;
            }

            Commit(new TrialReissued(trialId, worker, _time.GetUtcNow()));
            return _state.Find(trialId);
        }
    }

    /// <summary>The completed trials no other dominates (see <see cref="StudyState.ParetoFront"/>).</summary>
    internal IReadOnlyList<Trial> ParetoFront
    {
        get
        {
            lock (_lock)
            {
                return [.. _state.ParetoFront];
            }
        }
    }

    /// <summary>Why the tuner hands out no more trials (<see cref="StopHandingOut"/>), or null.</summary>
    internal string? StopReason => Volatile.Read(ref _stopReason);
}
