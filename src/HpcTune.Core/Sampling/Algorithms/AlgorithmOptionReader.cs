using System.Text.Json;
using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>
/// Reads an algorithm's options (<see cref="AlgorithmSpec.Options"/>), or an early stopping rule's
/// (<see cref="EarlyStoppingSpec.Options"/>), with errors that name their JSON path, <c>algorithm.&lt;option&gt;</c>
/// or <c>early_stopping.&lt;option&gt;</c>: each accessor marks its option as known, and <see cref="RejectUnknown"/>
/// then refuses any option no accessor asked for, listing those that exist. Providers use one per validation or creation.
/// </summary>
public sealed class AlgorithmOptionReader
{
    private readonly string _owner;
    private readonly string _section;
    private readonly IReadOnlyDictionary<string, JsonElement> _options;
    private readonly SortedSet<string> _known;

    /// <summary>A reader of <paramref name="algorithm"/>'s options.</summary>
    public AlgorithmOptionReader(AlgorithmSpec algorithm)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        (_owner, _section, _options) = ($"the {algorithm.Name} algorithm", "algorithm", algorithm.Options);
        _known = new(StringComparer.Ordinal) { "name", "seed" };
    }

    /// <summary>A reader of early stopping rule <paramref name="rule"/>'s options.</summary>
    public AlgorithmOptionReader(EarlyStoppingSpec rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        (_owner, _section, _options) = ($"the {rule.Name} early stopping rule", "early_stopping", rule.Options);
        _known = new(StringComparer.Ordinal) { "name" };
    }

    /// <summary>The JSON path of algorithm option <paramref name="name"/>: <c>algorithm.name</c>.</summary>
    public static string PathOf(string name) => $"algorithm.{name}";

    /// <summary>The JSON path of option <paramref name="name"/> of what this reader reads: <c>algorithm.name</c> or <c>early_stopping.name</c>.</summary>
    public string Path(string name) => $"{_section}.{name}";

    /// <summary>The option as an integer of at least <paramref name="min"/>, or null when absent.</summary>
    public int? Int32(string name, int min = int.MinValue)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        var number = JsonObjectReader.AsInt(value, Path(name));
        return number >= min ? number : throw new DefinitionException(Path(name), min == 1 ? $"expected a positive integer, got {number}" : $"expected an integer of at least {min}, got {number}");
    }

    /// <summary>The option as a finite number, or null when absent.</summary>
    public double? Number(string name) => TryGet(name, out var value) ? JsonObjectReader.AsNumber(value, Path(name)) : null;

    /// <summary>The option as a boolean, or null when absent.</summary>
    public bool? Boolean(string name) => !TryGet(name, out var value) ? null : value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new DefinitionException(Path(name), $"expected true or false, got {JsonObjectReader.Describe(value)}"),
    };

    /// <summary>The option as a string, one of <paramref name="allowed"/> when given; null when absent.</summary>
    public string? String(string name, IReadOnlyCollection<string>? allowed = null)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        var text = JsonObjectReader.AsString(value, Path(name));
        return allowed is null || allowed.Contains(text)
            ? text
            : throw new DefinitionException(Path(name), $"unknown {name} '{text}'; expected one of {string.Join(", ", allowed)}");
    }

    /// <summary>The option's JSON value as written, or false when absent (or null); marks it known.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _known.Add(name);
        if (_options.TryGetValue(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Refuses the first option no accessor asked for, at its path, naming the algorithm's options.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _options.Keys.Order(StringComparer.Ordinal))
        {
            if (!_known.Contains(name))
            {
                throw new DefinitionException(Path(name), $"unknown key '{name}': {_owner} has no such option; expected one of {string.Join(", ", _known)}");
            }
        }
    }
}
