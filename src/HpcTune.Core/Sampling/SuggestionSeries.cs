using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>Series of suggestions (<see cref="ISampler.SuggestSeries"/>) that any sampler can make.</summary>
public static class SuggestionSeries
{
    /// <summary>
    /// <see cref="ISampler.Suggest"/> of the view as it is at each step: the default series, and the baseline a
    /// sampler's own series is compared with.
    /// </summary>
    public static IEnumerable<Assignment> OneAtATime(ISampler sampler, StudyView view)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(view);
        return Repeat(sampler, view);

        static IEnumerable<Assignment> Repeat(ISampler sampler, StudyView view)
        {
            while (true)
            {
                yield return sampler.Suggest(view);
            }
        }
    }
}
