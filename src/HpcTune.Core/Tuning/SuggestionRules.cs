namespace HpcTune.Tuning;

/// <summary>
/// Who gets what when a worker asks for work, in order: nothing once the study is over or stopping; the worker's own
/// open trial again (a retried request never duplicates work); nothing beyond the parallel bandwidth; interrupted
/// trials, lowest id first; nothing that could overshoot the budget; otherwise a new trial.
/// </summary>
internal static class SuggestionRules
{
    /// <summary>What to do for <paramref name="worker"/> now. Read under the tuner's lock.</summary>
    public static SuggestDecision Decide(StudyState state, string worker, string? stopReason)
    {
        if (state.Status != StudyStatus.Running)
        {
            return SuggestDecision.Answer(new SuggestOutcome(SuggestStatus.Finished, null, FinishedReason(state)));
        }

        if (stopReason is not null)
        {
            return SuggestDecision.Answer(new SuggestOutcome(SuggestStatus.Finished, null, stopReason));
        }

        if (state.OpenTrialOf(worker) is { } held)
        {
            return SuggestDecision.Answer(new SuggestOutcome(SuggestStatus.Issued, held, null));
        }

        var definition = state.Definition;
        if (state.OpenCount >= definition.ParallelBandwidth)
        {
            return SuggestDecision.Answer(new SuggestOutcome(SuggestStatus.Wait, null, $"{state.OpenCount} suggestions are open, the parallel bandwidth is {definition.ParallelBandwidth}"));
        }

        if (state.InterruptedIds.Count > 0)
        {
            return SuggestDecision.Reissue(state.InterruptedIds.First());
        }

        if (state.CommittedCount >= definition.ObservationBudget)
        {
            return SuggestDecision.Answer(new SuggestOutcome(SuggestStatus.Wait, null, $"{state.CompletedCount} completed and {state.OpenCount} open would meet the budget of {definition.ObservationBudget}"));
        }

        return SuggestDecision.NewTrial;
    }

    /// <summary>Why a study that is no longer running hands out nothing.</summary>
    public static string FinishedReason(StudyState state) => state.Status == StudyStatus.Completed
        ? $"the observation budget of {state.Definition.ObservationBudget} is met"
        : $"the study is broken: {state.FailedCount} failures reached max_failures = {state.Definition.MaxFailures}";
}

/// <summary>One of: an answer as it is, an interrupted trial to hand out again, or a new trial to create.</summary>
internal readonly record struct SuggestDecision(SuggestOutcome? Outcome, long ReissueId)
{
    public static SuggestDecision NewTrial => default;

    public bool IsNewTrial => Outcome is null && ReissueId == 0;

    public static SuggestDecision Answer(SuggestOutcome outcome) => new(outcome, 0);

    public static SuggestDecision Reissue(long trialId) => new(null, trialId);
}
