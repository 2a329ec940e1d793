namespace HpcTune.Space;

/// <summary>
/// A switch of a conditional space (SigOpt's <c>conditionals</c>): a named categorical choice that decides which
/// parameters are active (<see cref="ParameterDefinition.Conditions"/>). The sampler draws it like a categorical
/// parameter, and every assignment carries its value under <see cref="Name"/>.
/// </summary>
public sealed class ConditionalDefinition : IEquatable<ConditionalDefinition>
{
    /// <summary>Creates a switch taking one of <paramref name="values"/>; <see cref="SearchSpace"/> validates it.</summary>
    public ConditionalDefinition(string name, params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Name = name;
        Values = [.. values];
    }

    /// <summary>The switch's name: unique among conditionals and parameters.</summary>
    public string Name { get; }

    /// <summary>The values the switch takes, in order.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The switch as the categorical parameter that the unit cube holds for it.</summary>
    internal ParameterDefinition AsCategorical() => ParameterDefinition.Categorical(Name, Values);

    /// <inheritdoc/>
    public bool Equals(ConditionalDefinition? other) =>
        other is not null && Name == other.Name && Values.SequenceEqual(other.Values, StringComparer.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ConditionalDefinition);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Values.Count);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {{{string.Join(", ", Values)}}}";
}
