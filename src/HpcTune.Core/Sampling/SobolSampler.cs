using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>
/// Scrambled Sobol points: trial n gets point n of a sequence scrambled from the study's seed, so the
/// sampler resumes where it stopped with no state of its own.
/// </summary>
public sealed class SobolSampler : ISampler
{
    private SobolSequence? _sequence;
    private long _sequenceSeed;

    /// <inheritdoc/>
    public string Name => "sobol";

    /// <inheritdoc/>
    public Assignment Suggest(StudyView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var sequence = SequenceFor(view.Space.Dimension, view.Seed);
        Span<double> unit = stackalloc double[view.Space.Dimension];
        sequence.Point(view.TrialsCreated, unit);
        return view.Space.Decode(unit);
    }

    private SobolSequence SequenceFor(int dimension, long seed)
    {
        if (_sequence is null || _sequence.Dimension != dimension || _sequenceSeed != seed)
        {
            _sequence = new SobolSequence(dimension, seed);
            _sequenceSeed = seed;
        }

        return _sequence;
    }
}
