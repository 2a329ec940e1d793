using System.Text.Json;
using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Search.Population;

/// <summary>
/// The options of <c>"algorithm": {"name": "pbt", ...}</c> (CONTRACTS.md §6), read and checked from a study's
/// <c>algorithm</c> object with errors at <c>algorithm.&lt;option&gt;</c>.
/// </summary>
/// <param name="PopulationSize">Members trained side by side (at least 2).</param>
/// <param name="StepsPerGeneration">Steps each trial trains: a generation is one segment of every member.</param>
/// <param name="Generations">Segments per member; the study has <c>PopulationSize × Generations</c> trials that complete.</param>
/// <param name="Quantile">Fraction of the population that is top and bottom: in (0, 0.5].</param>
/// <param name="ResampleProbability">Chance that an explored hyperparameter is drawn from the space again instead of perturbed.</param>
/// <param name="PerturbationFactors">Factors a perturbed hyperparameter is multiplied by, one drawn per hyperparameter.</param>
internal sealed record PbtOptions(
    int PopulationSize,
    int StepsPerGeneration,
    int Generations,
    double Quantile,
    double ResampleProbability,
    IReadOnlyList<double> PerturbationFactors)
{
    /// <summary>The default truncation quantile (Ray Tune's and the paper's 20-25 %).</summary>
    public const double DefaultQuantile = 0.25;

    /// <summary>The default resampling probability (Ray Tune's).</summary>
    public const double DefaultResampleProbability = 0.25;

    /// <summary>The default perturbation factors (the paper's and Ray Tune's).</summary>
    public static IReadOnlyList<double> DefaultPerturbationFactors { get; } = [0.8, 1.2];

    /// <summary>
    /// How many members are top and how many bottom: <c>ceil(population · quantile)</c>, at most half the population
    /// (Ray Tune's rule), so a population of two still exploits.
    /// </summary>
    public int TruncationCount => Math.Min((int)Math.Ceiling(PopulationSize * Quantile), PopulationSize / 2);

    /// <summary>The trials a study of these options completes: one per member and generation.</summary>
    public long Segments => (long)PopulationSize * Generations;

    /// <summary>
    /// Reads and checks the options of <paramref name="definition"/>'s algorithm and, with <paramref name="checkStudy"/>,
    /// what pbt asks of the study (no early stopping, one objective, the budget). A study read back from its journal
    /// is not checked again: its budget may have been changed since it started.
    /// </summary>
    /// <exception cref="DefinitionException">A missing or bad option, an unknown one, or a study pbt cannot run.</exception>
    public static PbtOptions Read(StudyDefinition definition, bool checkStudy = true)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var reader = new AlgorithmOptionReader(definition.Algorithm);
        var options = new PbtOptions(
            Required(reader, "population_size", reader.Int32("population_size", min: 2)),
            Required(reader, "steps_per_generation", reader.Int32("steps_per_generation", min: 1)),
            Required(reader, "generations", reader.Int32("generations", min: 1)),
            Fraction(reader, "quantile", DefaultQuantile, lowOpen: true, high: 0.5),
            Fraction(reader, "resample_probability", DefaultResampleProbability, lowOpen: false, high: 1.0),
            Factors(reader));
        reader.RejectUnknown();
        if (checkStudy)
        {
            options.CheckStudy(definition);
        }

        return options;
    }

    private void CheckStudy(StudyDefinition definition)
    {
        if (definition.EarlyStopping is { } rule)
        {
            throw new DefinitionException("early_stopping",
                $"pbt decides itself which members continue (exploit and explore every generation); early stopping ('{rule.Name}') combines with any algorithm but pbt: remove early_stopping");
        }

        if (definition.IsMultiObjective)
        {
            throw new DefinitionException("metrics",
                $"pbt ranks the members of a generation by one objective; the study optimizes {definition.Objectives.Count} ({string.Join(", ", definition.Objectives.Select(m => m.Name))}): make all but one a constraint or drop them");
        }

        // Failed trials are planned again (PbtSampler), so a study that runs to its end completes exactly this many
        // trials: a budget that differs would either cut the last generations or never be met.
        if (Segments > int.MaxValue || definition.ObservationBudget != Segments)
        {
            throw new DefinitionException("observation_budget",
                $"pbt trains population_size x generations = {PopulationSize} x {Generations} = {Segments} segments, one trial each, "
                + $"so observation_budget must be {Segments}; got {definition.ObservationBudget}");
        }
    }

    private static int Required(AlgorithmOptionReader reader, string name, int? value) =>
        value ?? throw new DefinitionException(reader.Path(name), $"pbt needs {name} (an integer), e.g. {Example}");

    private const string Example = "\"algorithm\": {\"name\": \"pbt\", \"population_size\": 16, \"steps_per_generation\": 5, \"generations\": 20}";

    private static double Fraction(AlgorithmOptionReader reader, string name, double fallback, bool lowOpen, double high)
    {
        if (reader.Number(name) is not { } value)
        {
            return fallback;
        }

        var inRange = (lowOpen ? value > 0 : value >= 0) && value <= high;
        return inRange
            ? value
            : throw new DefinitionException(reader.Path(name), $"expected a number in {(lowOpen ? "(" : "[")}0, {Scalar(high)}], got {Scalar(value)}");
    }

    private static IReadOnlyList<double> Factors(AlgorithmOptionReader reader)
    {
        const string name = "perturbation_factors";
        if (!reader.TryGet(name, out var value))
        {
            return DefaultPerturbationFactors;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw new DefinitionException(reader.Path(name), $"expected a non-empty array of positive numbers, e.g. [0.8, 1.2], got {Describe(value)}");
        }

        var factors = new double[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var factor) || !double.IsFinite(factor) || factor <= 0)
            {
                throw new DefinitionException($"{reader.Path(name)}[{i}]", $"expected a positive finite number, got {Describe(item)}");
            }

            factors[i++] = factor;
        }

        return factors;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "an empty array" : "an array",
        JsonValueKind.Object => "an object",
        _ => value.GetRawText(),
    };

    private static string Scalar(double value) => Values.Scalar.FormatNumber(value);
}
