using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>
/// Proposes the next assignment from a read-only view of the study. Samplers are pure: no I/O, clocks or
/// threads, and the same view gives the same suggestion, which is what lets a resumed study continue exactly.
/// </summary>
public interface ISampler
{
    /// <summary>The algorithm name as it appears in study JSON.</summary>
    string Name { get; }

    /// <summary>The assignment for the next new trial (number <see cref="StudyView.TrialsCreated"/> + 1).</summary>
    Assignment Suggest(StudyView view);

    /// <summary>
    /// Assignments for the next new trials, computed lazily, one per step: before asking for the next one the caller
    /// adds the one before as a new trial to the state under <paramref name="view"/>, and creates no other trial. By
    /// default each is <see cref="Suggest"/> of the view as it is then; a model-based sampler shares its work between
    /// them (one model, one scored candidate set), so a burst of requests costs less than as many suggestions, and
    /// may go on as the study was when the series began (a result recorded meanwhile still counts as pending).
    /// </summary>
    IEnumerable<Assignment> SuggestSeries(StudyView view) => SuggestionSeries.OneAtATime(this, view);
}
