using HpcTune.Space;
using HpcTune.Trials;

namespace HpcTune.Tuning;

/// <summary>
/// Checks a trial a user inserts (<see cref="Tuner.Insert"/>) and makes its event: the assignment must be a point of
/// the space (every parameter, nothing else, in bounds, on its grid, a listed category), new to the study, and within
/// the budget; values, when given, must be an observation of the study. Runs under the tuner's lock.
/// </summary>
internal static class TrialInsertion
{
    /// <exception cref="ArgumentException">The assignment or the values are not valid for the study (the message names the parameter or metric).</exception>
    /// <exception cref="DuplicateTrialException">A trial that is not deleted has the same assignment.</exception>
    /// <exception cref="InvalidOperationException">The budget has no room for another trial.</exception>
    public static TrialInserted Prepare(StudyState state, Assignment assignment, IReadOnlyDictionary<string, double>? values, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var definition = state.Definition;
        Assignment point;
        try
        {
            point = definition.Space.CreateAssignment(assignment);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"the inserted assignment is not a point of the study's space: {e.Message}", e);
        }

        if (values is not null && state.CheckValues(values) is { } problem)
        {
            throw new ArgumentException($"the inserted values are not an observation of the study: {problem}");
        }

        if (state.Trials.FirstOrDefault(t => t.State != TrialState.Deleted && t.Assignment.Equals(point)) is { } existing)
        {
            throw new DuplicateTrialException(existing.Id, $"trial {existing.Id} ({existing.State.ToString().ToLowerInvariant()}) already has the assignment {point}; a duplicate is not inserted");
        }

        if (state.CommittedCount >= definition.ObservationBudget)
        {
            throw new InvalidOperationException($"the observation budget of {definition.ObservationBudget} has no room for another trial: "
                + $"{state.CompletedCount} completed, {state.OpenCount} open and {state.InterruptedIds.Count} waiting; raise it first (resume --budget)");
        }

        var copied = values is null ? null : new Dictionary<string, double>(values, StringComparer.Ordinal);
        return new TrialInserted(state.Trials.Count + 1, point, copied, time);
    }
}
