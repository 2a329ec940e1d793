namespace HpcTune.Gp.Model;

/// <summary>
/// A feature that is NaN stands for an inactive parameter of a conditional space (the
/// <c>ConditionalEncoding.MaskedKernel</c> encoding): the kernel's distance leaves out each coordinate where either
/// point is inactive. Points without NaN pay one scan per point and nothing per distance.
/// </summary>
internal static class InactiveFeatures
{
    /// <summary>Whether <paramref name="features"/> has an inactive (NaN) coordinate.</summary>
    public static bool Any(ReadOnlySpan<double> features)
    {
        foreach (var f in features)
        {
            if (double.IsNaN(f))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>When <paramref name="masked"/>, the differences in <paramref name="differences"/> that are NaN become 0.</summary>
    public static void Mask(bool masked, Span<double> differences)
    {
        if (!masked)
        {
            return;
        }

        for (var i = 0; i < differences.Length; i++)
        {
            if (double.IsNaN(differences[i]))
            {
                differences[i] = 0;
            }
        }
    }
}
