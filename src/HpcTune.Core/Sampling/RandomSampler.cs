using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>Uniform random points in the unit cube; point n depends only on the seed and n.</summary>
public sealed class RandomSampler : ISampler
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public Assignment Suggest(StudyView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var random = new SplitMix64(SplitMix64.Derive(view.Seed, view.TrialsCreated));
        Span<double> unit = stackalloc double[view.Space.Dimension];
        for (var i = 0; i < unit.Length; i++)
        {
            unit[i] = random.NextDouble();
        }

        return view.Space.Decode(unit);
    }
}
