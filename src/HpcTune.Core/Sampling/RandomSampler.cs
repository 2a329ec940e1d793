using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>Uniform random points in the unit cube; point n depends only on the seed and n.</summary>
public sealed class RandomSampler : ISampler
{
    /// <inheritdoc/>
    public string Name => "random";

    /// <inheritdoc/>
    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var made = new Assignment[count];
        var unit = new double[snapshot.Space.Dimension];
        for (var k = 0; k < count; k++)
        {
            Seeds.FillUniform(Seeds.Derive(snapshot.Seed, snapshot.TrialsCreated + k), unit);
            made[k] = snapshot.Space.Decode(unit);
        }

        return made;
    }
}
