using System.Text.Json;

namespace HpcTune.Study;

/// <summary>
/// The <c>early_stopping</c> object of a study (CONTRACTS.md §6): the rule's name and its options, kept as the JSON
/// values they were written as. Which options a name accepts is up to its <see cref="Scheduling.IEarlyStoppingProvider"/>;
/// see <see cref="Scheduling.EarlyStoppingRegistry"/>.
/// </summary>
/// <param name="Name">A name registered in <see cref="Scheduling.EarlyStoppingRegistry"/>: <c>median</c> or <c>asha</c> (HpcTune.Search).</param>
public sealed record EarlyStoppingSpec(string Name)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoOptions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>The rule's own options (every key of the JSON object but <c>name</c>), as written.</summary>
    public IReadOnlyDictionary<string, JsonElement> Options
    {
        get;
        init => field = value is null || value.Count == 0 ? NoOptions : value.ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal);
    } = NoOptions;

    /// <summary>A copy with option <paramref name="name"/> set to <paramref name="value"/> (any JSON value).</summary>
    public EarlyStoppingSpec WithOption(string name, JsonElement value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == "name")
        {
            throw new ArgumentException("'name' is not an option but the rule's name", nameof(name));
        }

        return this with { Options = new Dictionary<string, JsonElement>(Options, StringComparer.Ordinal) { [name] = value } };
    }

    /// <summary>A copy with the number option <paramref name="name"/>.</summary>
    public EarlyStoppingSpec WithOption(string name, double value) => WithOption(name, JsonSerializer.SerializeToElement(value, AlgorithmOptionJsonContext.Default.Double));

    /// <summary>A copy with the integer option <paramref name="name"/>.</summary>
    public EarlyStoppingSpec WithOption(string name, long value) => WithOption(name, JsonSerializer.SerializeToElement(value, AlgorithmOptionJsonContext.Default.Int64));

    /// <summary>True when the name and every option (as JSON) are equal.</summary>
    public bool Equals(EarlyStoppingSpec? other) =>
        other is not null
        && Name == other.Name
        && Options.Count == other.Options.Count
        && Options.All(p => other.Options.TryGetValue(p.Key, out var value) && JsonElement.DeepEquals(p.Value, value));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Options.Count);
}
