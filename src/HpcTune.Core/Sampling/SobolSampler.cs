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

    /// <summary>
    /// Like <see cref="Suggest(StudyView)"/>, but the first point of the sequence from this trial's index on whose
    /// assignment is not in <paramref name="taken"/> (a small discrete space rounds different points to the same
    /// assignment); after <paramref name="tries"/> taken ones, this trial's own point.
    /// </summary>
    public Assignment Suggest(StudyView view, IReadOnlySet<Assignment> taken, int tries = 1024)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(taken);
        var sequence = SequenceFor(view.Space.Dimension, view.Seed);
        Span<double> unit = stackalloc double[view.Space.Dimension];
        for (var k = 0; k < tries; k++)
        {
            sequence.Point(view.TrialsCreated + k, unit);
            var assignment = view.Space.Decode(unit);
            if (!taken.Contains(assignment))
            {
                return assignment;
            }
        }

        return Suggest(view);
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
