using HpcTune.Trials;

namespace HpcTune.Tuning;

/// <summary>How an inserted trial (<see cref="TrialInserted"/>) enters the study.</summary>
public sealed partial class StudyState
{
    private string? CheckInsert(TrialInserted e) =>
        e.TrialId != _trials.Count + 1 ? $"trial {e.TrialId} cannot be inserted: the next trial id is {_trials.Count + 1}"
        : e.Values is { } values ? CheckValues(values)
        : null;

    private void ApplyInsert(TrialInserted e)
    {
        var trial = new Trial
        {
            Id = e.TrialId,
            Assignment = e.Assignment,
            State = e.Values is null ? TrialState.Interrupted : TrialState.Completed,
            Worker = TrialInserted.Worker,
            Attempts = 0, // never handed out; the first hand-out makes it 1
            CreatedAt = e.Time,
            SuggestedAt = e.Time,
            CompletedBefore = _completed.Count,
        };
        if (e.Values is null)
        {
            // Waits like an interrupted trial: handed out before any new suggestion.
            _trials.Add(trial with { Reason = TrialInserted.WaitingReason });
            _interrupted.Add(e.TrialId);
            return;
        }

        var observed = trial with { Values = e.Values, FinishedAt = e.Time };
        _trials.Add(observed);
        _completed.Add(observed);
        if (IsFeasible(observed) && (Best is null || Definition.Objective.IsBetter(Objective(observed), Objective(Best))))
        {
            Best = observed;
        }
    }
}
