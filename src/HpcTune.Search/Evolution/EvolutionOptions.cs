using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Search.Evolution;

/// <summary>
/// The options of <c>"algorithm": {"name": "evolution", ...}</c>, read and checked from a study's <c>algorithm</c>
/// object with errors at <c>algorithm.&lt;option&gt;</c>.
/// </summary>
/// <param name="PopulationSize">P: the most recently completed trials that form the population (the oldest dies).</param>
/// <param name="SampleSize">S: the members drawn for each tournament, 1..P; the best of them is the parent.</param>
/// <param name="MutationScale">Standard deviation of a numeric mutation, as a fraction of the parameter's (log) range.</param>
internal sealed record EvolutionOptions(int PopulationSize, int SampleSize, double MutationScale)
{
    /// <summary>
    /// The default P. Real et al. used 100 with budgets of 20 000 models; tuning studies have 50-500 trials, and
    /// the first P trials are quasi-random, so P = 20 leaves most of a 100-trial budget to evolution
    /// (docs/evolution.md has the measurement behind it).
    /// </summary>
    public const int DefaultPopulationSize = 20;

    /// <summary>The default mutation scale: a tenth of the range, local enough to refine, wide enough to leave a basin.</summary>
    public const double DefaultMutationScale = 0.1;

    /// <summary>
    /// The default S for a population of <paramref name="populationSize"/>: half of it, rounded up. Real et al. used a
    /// quarter (25 of 100) over 20 000 models; over 50-200 trials the greedier half found lower regrets on every
    /// function of the quality suite, with and without noise (docs/evolution.md, "Defaults").
    /// </summary>
    public static int DefaultSampleSize(int populationSize) => (populationSize + 1) / 2;

    /// <summary>Reads and checks the options of <paramref name="definition"/>'s algorithm.</summary>
    /// <exception cref="DefinitionException">A bad or unknown option.</exception>
    public static EvolutionOptions Read(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var reader = new AlgorithmOptionReader(definition.Algorithm);
        var population = reader.Int32("population_size", min: 1) ?? DefaultPopulationSize;
        var sample = reader.Int32("sample_size", min: 1);
        if (sample > population)
        {
            throw new DefinitionException(reader.Path("sample_size"),
                $"the tournament draws sample_size members of the population, so it must be at most population_size ({population}{(reader.TryGet("population_size", out _) ? "" : ", the default")}); got {sample}");
        }

        var scale = reader.Number("mutation_scale") ?? DefaultMutationScale;
        if (scale is not (> 0 and <= 1))
        {
            throw new DefinitionException(reader.Path("mutation_scale"), $"expected a number in (0, 1] (a fraction of each parameter's range), got {Values.Scalar.FormatNumber(scale)}");
        }

        reader.RejectUnknown();
        return new EvolutionOptions(population, sample ?? DefaultSampleSize(population), scale);
    }
}
