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
    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var sequence = SequenceFor(snapshot.Space.Dimension, snapshot.Seed);
        var made = new Assignment[count];
        var unit = new double[snapshot.Space.Dimension];
        for (var k = 0; k < count; k++)
        {
            sequence.Point(snapshot.TrialsCreated + k, unit);
            made[k] = snapshot.Space.Decode(unit);
        }

        return made;
    }

    /// <summary>
    /// The point of the next new trial, or the first point of the sequence from that trial's index on whose
    /// assignment is not in <paramref name="taken"/> (a small discrete space rounds different points to the same
    /// assignment); after <paramref name="tries"/> taken ones, the trial's own point.
    /// </summary>
    public Assignment SuggestUntaken(StudySnapshot snapshot, IReadOnlySet<Assignment> taken, int tries = 1024)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(taken);
        var sequence = SequenceFor(snapshot.Space.Dimension, snapshot.Seed);
        var unit = new double[snapshot.Space.Dimension];
        for (var k = 0; k < tries; k++)
        {
            sequence.Point(snapshot.TrialsCreated + k, unit);
            var assignment = snapshot.Space.Decode(unit);
            if (!taken.Contains(assignment))
            {
                return assignment;
            }
        }

        sequence.Point(snapshot.TrialsCreated, unit);
        return snapshot.Space.Decode(unit);
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
