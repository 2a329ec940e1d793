using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>
/// The options random and Sobol accept: none but <c>initial_points</c>, which the first edition took for every
/// algorithm (it counts the points before a model takes over, and every point of these two is such a point), so
/// studies written then stay valid. It must still be a positive integer, as it had to be then.
/// </summary>
internal static class LegacyOptions
{
    public static void Validate(StudyDefinition definition)
    {
        var options = new AlgorithmOptionReader(definition.Algorithm);
        _ = options.Int32("initial_points", min: 1);
        options.RejectUnknown();
    }
}
