using HpcTune.Study;
using HpcTune.Values;

namespace HpcTune.Space;

/// <summary>
/// One tunable parameter: a name, a type, and its domain. Create with <see cref="Double"/>, <see cref="Int"/>
/// or <see cref="Categorical"/>; <see cref="Validate"/> (run by <see cref="SearchSpace"/>) checks the domain.
/// </summary>
public sealed class ParameterDefinition : IEquatable<ParameterDefinition>
{
    private ParameterDefinition(string name, ParameterType type, double min, double max,
        Transformation transformation, double? step, IReadOnlyList<string> categoricalValues,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? conditions = null)
    {
        Conditions = conditions ?? NoConditions;
        Name = name;
        Type = type;
        Min = min;
        Max = max;
        Transformation = transformation;
        Step = step;
        CategoricalValues = categoricalValues;
    }

    /// <summary>The parameter's name, unique in its space.</summary>
    public string Name { get; }

    /// <summary>The kind of values.</summary>
    public ParameterType Type { get; }

    /// <summary>Lower bound (numeric types only).</summary>
    public double Min { get; }

    /// <summary>Upper bound (numeric types only).</summary>
    public double Max { get; }

    /// <summary>Log or linear layout (numeric types only).</summary>
    public Transformation Transformation { get; }

    /// <summary>Quantization step from <see cref="Min"/>, or null (numeric types only).</summary>
    public double? Step { get; }

    /// <summary>The allowed strings (categorical only; empty otherwise).</summary>
    public IReadOnlyList<string> CategoricalValues { get; }

    /// <summary>
    /// When the parameter is active (SigOpt's <c>conditions</c>): each key names a <see cref="ConditionalDefinition"/>
    /// and lists the values it must take; active only when every named switch takes one of its listed values.
    /// Empty: always active.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Conditions { get; }

    /// <summary>True when the parameter is active under the switch values in <paramref name="assignment"/>.</summary>
    public bool IsActive(IReadOnlyDictionary<string, Scalar> assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        foreach (var (conditional, values) in Conditions)
        {
            if (!assignment.TryGetValue(conditional, out var value) || !value.IsText || !values.Contains(value.Text, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A copy that is active only under <paramref name="conditions"/> (see <see cref="Conditions"/>).</summary>
    public ParameterDefinition WithConditions(IReadOnlyDictionary<string, IReadOnlyList<string>> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var copy = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (key, values) in conditions)
        {
            copy[key] = [.. values];
        }

        return new(Name, Type, Min, Max, Transformation, Step, CategoricalValues, copy);
    }

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoConditions = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>A real parameter in [min, max].</summary>
    public static ParameterDefinition Double(string name, double min, double max,
        Transformation transformation = Transformation.None, double? step = null) =>
        new(name, ParameterType.Double, min, max, transformation, step, []);

    /// <summary>An integer parameter in [min, max].</summary>
    public static ParameterDefinition Int(string name, long min, long max,
        Transformation transformation = Transformation.None, long? step = null) =>
        new(name, ParameterType.Int, min, max, transformation, step, []);

    /// <summary>A categorical parameter taking one of <paramref name="values"/>.</summary>
    public static ParameterDefinition Categorical(string name, params IEnumerable<string> values) =>
        new(name, ParameterType.Categorical, 0, 0, Transformation.None, null, [.. values]);

    /// <summary>Creates a parameter with every field given, unchecked (used by readers; call <see cref="Validate"/>).</summary>
    public static ParameterDefinition Create(string name, ParameterType type, double min, double max,
        Transformation transformation, double? step, IReadOnlyList<string> categoricalValues) =>
        new(name, type, min, max, transformation, step, [.. categoricalValues]);

    /// <summary>
    /// Checks the domain; throws <see cref="DefinitionException"/> naming <paramref name="path"/>
    /// (e.g. <c>parameters[2]</c>) plus the offending field.
    /// </summary>
    public void Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new DefinitionException($"{path}.name", "the name is empty; every parameter needs a non-empty name");
        }

        ParameterNames.RequirePassableText(Name, $"{path}.name", "the name");
        if (ParameterNames.IsReserved(Name) && !ParameterNames.Relaxed)
        {
            throw new DefinitionException($"{path}.name",
                $"'{Name}' is reserved: the placeholder {{{Name}}} and the variable HPCTUNE_{ParameterNames.EnvironmentName(Name)} carry HpcTune's own value "
                + $"for each trial, which a parameter of that name would replace; rename the parameter (reserved: {string.Join(", ", ParameterNames.Reserved)})");
        }

        if (Type == ParameterType.Categorical)
        {
            ValidateCategorical(path);
            return;
        }

        if (!double.IsFinite(Min))
        {
            throw new DefinitionException($"{path}.bounds.min", $"min must be a finite number, got {Scalar.FormatNumber(Min)}");
        }

        if (!double.IsFinite(Max))
        {
            throw new DefinitionException($"{path}.bounds.max", $"max must be a finite number, got {Scalar.FormatNumber(Max)}");
        }

        if (Type == ParameterType.Int && (Min != Math.Floor(Min) || Math.Abs(Min) > MaxExactInteger))
        {
            throw new DefinitionException($"{path}.bounds.min", $"an int parameter needs an integer min within ±2^53, got {Scalar.FormatNumber(Min)}");
        }

        if (Type == ParameterType.Int && (Max != Math.Floor(Max) || Math.Abs(Max) > MaxExactInteger))
        {
            throw new DefinitionException($"{path}.bounds.max", $"an int parameter needs an integer max within ±2^53, got {Scalar.FormatNumber(Max)}");
        }

        if (Min >= Max)
        {
            throw new DefinitionException($"{path}.bounds.min",
                $"min must be smaller than max, got min {Scalar.FormatNumber(Min)} >= max {Scalar.FormatNumber(Max)}");
        }

        if (!double.IsFinite(Max - Min))
        {
            throw new DefinitionException($"{path}.bounds", "the range max - min overflows a double; use smaller bounds or a log transformation");
        }

        if (Transformation == Transformation.Log && Min <= 0)
        {
            throw new DefinitionException($"{path}.bounds.min",
                $"a log transformation needs min > 0, got {Scalar.FormatNumber(Min)}");
        }

        if (Step is { } step)
        {
            if (!double.IsFinite(step) || step <= 0)
            {
                throw new DefinitionException($"{path}.step", $"step must be a positive finite number, got {Scalar.FormatNumber(step)}");
            }

            if (step > (Max - Min) * (1 + 1e-12)) // rounding of max - min must not reject step == range
            {
                throw new DefinitionException($"{path}.step",
                    $"step {Scalar.FormatNumber(step)} is larger than the range max - min = {Scalar.FormatNumber(Max - Min)}");
            }

            if (Type == ParameterType.Int && step != Math.Floor(step))
            {
                throw new DefinitionException($"{path}.step", $"an int parameter needs an integer step, got {Scalar.FormatNumber(step)}");
            }

            if ((Max - Min) / step > MaxGridPoints)
            {
                throw new DefinitionException($"{path}.step",
                    $"step {Scalar.FormatNumber(step)} gives more than {MaxGridPoints:E0} grid points; use a larger step or none");
            }
        }
    }

    private void ValidateCategorical(string path)
    {
        if (CategoricalValues.Count == 0)
        {
            throw new DefinitionException($"{path}.categorical_values", "a categorical parameter needs at least one value");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < CategoricalValues.Count; i++)
        {
            var value = CategoricalValues[i];
            if (string.IsNullOrEmpty(value))
            {
                throw new DefinitionException($"{path}.categorical_values[{i}]", "categorical values must be non-empty strings");
            }

            ParameterNames.RequirePassableText(value, $"{path}.categorical_values[{i}]", "the value");

            if (!seen.Add(value))
            {
                throw new DefinitionException($"{path}.categorical_values[{i}]", $"duplicate categorical value '{value}'");
            }
        }
    }

    /// <summary>Largest integer magnitude that a double holds exactly (2^53).</summary>
    internal const double MaxExactInteger = 9007199254740992.0;

    /// <summary>More grid points than this is a continuous parameter in disguise, and loses integer precision.</summary>
    internal const double MaxGridPoints = 1e15;

    /// <inheritdoc/>
    public bool Equals(ParameterDefinition? other) =>
        other is not null
        && Name == other.Name && Type == other.Type
        && Min.Equals(other.Min) && Max.Equals(other.Max)
        && Transformation == other.Transformation && Nullable.Equals(Step, other.Step)
        && CategoricalValues.SequenceEqual(other.CategoricalValues, StringComparer.Ordinal)
        && Conditions.Count == other.Conditions.Count
        && Conditions.All(c => other.Conditions.TryGetValue(c.Key, out var values) && values.SequenceEqual(c.Value, StringComparer.Ordinal));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ParameterDefinition);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Type, Min, Max, Transformation, Step, CategoricalValues.Count);

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        ParameterType.Categorical => $"{Name}: categorical {{{string.Join(", ", CategoricalValues)}}}",
        _ => $"{Name}: {Type.ToString().ToLowerInvariant()} [{Scalar.FormatNumber(Min)}, {Scalar.FormatNumber(Max)}]"
             + (Transformation == Transformation.Log ? " log" : "")
             + (Step is { } s ? $" step {Scalar.FormatNumber(s)}" : ""),
    } + (Conditions.Count == 0 ? "" : $" when {string.Join(" and ", Conditions.Select(c => $"{c.Key} in {{{string.Join(", ", c.Value)}}}"))}");
}
