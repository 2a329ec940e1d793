namespace HpcTune.Study;

/// <summary>The sampler a study uses, and its options.</summary>
/// <param name="Name">One of <see cref="KnownNames"/>.</param>
/// <param name="Seed">Seed of every random choice; null asks the tuner to pick one and record it.</param>
/// <param name="InitialPoints">Quasi-random points before a model-based sampler takes over (null: its default).</param>
/// <param name="Acquisition">The GP's acquisition: <c>log_ei</c> (default), <c>ucb</c> or <c>qucb</c>.</param>
public sealed record AlgorithmSpec(string Name = AlgorithmSpec.DefaultName, long? Seed = null, int? InitialPoints = null, string? Acquisition = null)
{
    /// <summary>The acquisition names the GP accepts.</summary>
    public static IReadOnlyList<string> KnownAcquisitions { get; } = ["log_ei", "ucb", "qucb"];

    /// <summary>The algorithm used when a study names none.</summary>
    public const string DefaultName = "gp";

    /// <summary>The algorithm names a study definition may use.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = ["random", "sobol", "gp"];
}
