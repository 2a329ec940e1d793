namespace HpcTune.Gp.Model;

/// <summary>
/// The posterior of a <see cref="GaussianProcess"/> at a fixed set of points, made by
/// <see cref="GaussianProcess.Track"/> and kept current as fantasies are added with
/// <see cref="GaussianProcess.AddFantasy(ReadOnlySpan{double}, TrackedPoints)"/>.
/// </summary>
public sealed class TrackedPoints
{
    internal TrackedPoints(int count, int dimension, int rows)
    {
        Count = count;
        Rows = rows;
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

    /// <summary>Model points (observations and fantasies) the tracked posterior accounts for.</summary>
    internal int Rows { get; set; }

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
            var grown = new double[Math.Max(rows, 2 * Solved.Length / Math.Max(1, Count)) * Count];
            Solved.CopyTo(grown, 0);
            Solved = grown;
        }
    }
}
