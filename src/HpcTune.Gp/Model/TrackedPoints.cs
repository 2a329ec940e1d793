namespace HpcTune.Gp.Model;

/// <summary>
/// The posterior of a <see cref="GaussianProcess"/> at a fixed set of points, made by
/// <see cref="GaussianProcess.Track"/> and kept current as fantasies are added with
/// <see cref="GaussianProcess.AddFantasy(ReadOnlySpan{double}, TrackedPoints)"/>.
/// </summary>
internal sealed class TrackedPoints
{
    internal TrackedPoints(int count, int dimension, long version)
    {
        Count = count;
        Version = version;
        ScaledT = new double[dimension * count];
        MeanBuffer = new double[count];
        VarianceBuffer = new double[count];
        Scratch = new double[count];
    }

    /// <summary>How many points are tracked.</summary>
    public int Count { get; }

    /// <summary>Posterior mean at each point.</summary>
    public ReadOnlySpan<double> Mean => MeanBuffer;

    /// <summary>Posterior variance (of the latent function) at each point.</summary>
    public ReadOnlySpan<double> Variance => VarianceBuffer;

    /// <summary>Rows reserved beyond the model's points, so a series of fantasies seldom reallocates the matrix.</summary>
    internal const int RowsAhead = 64;

    /// <summary>The model's <see cref="GaussianProcess.Version"/> the tracked posterior is current with.</summary>
    internal long Version { get; set; }

    /// <summary>The points divided by the length scales, feature-major.</summary>
    internal double[] ScaledT { get; }

    internal double[] MeanBuffer { get; }

    internal double[] VarianceBuffer { get; }

    internal double[] Scratch { get; }

    /// <summary>L⁻¹K(model points, tracked points), row i for model point i (grows by a row per fantasy).</summary>
    internal double[] Solved { get; private set; } = [];

    internal void Reserve(int rows)
    {
        if (Solved.Length < rows * Count)
        {
            var grown = new double[(rows + RowsAhead) * Count];
            Solved.CopyTo(grown, 0);
            Solved = grown;
        }
    }
}
