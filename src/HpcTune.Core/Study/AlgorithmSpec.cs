namespace HpcTune.Study;

/// <summary>The sampler a study uses, and its options.</summary>
/// <param name="Name">One of <see cref="KnownNames"/>.</param>
/// <param name="Seed">Seed of every random choice; null asks the tuner to pick one and record it.</param>
/// <param name="InitialPoints">Quasi-random points before a model-based sampler takes over (null: its default).</param>
public sealed record AlgorithmSpec(string Name = AlgorithmSpec.DefaultName, long? Seed = null, int? InitialPoints = null)
{
    /// <summary>The algorithm used when a study names none.</summary>
    public const string DefaultName = "gp";

    /// <summary>The algorithm names a study definition may use.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["random", "sobol", "gp"];
}
