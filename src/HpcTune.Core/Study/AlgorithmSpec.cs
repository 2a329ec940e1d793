using System.Text.Json;

namespace HpcTune.Study;

/// <summary>
/// The <c>algorithm</c> object of a study: the sampler's name, the seed of its random choices, and the options that
/// belong to that sampler, kept as the JSON values they were written as (the journal records them unchanged). Which
/// options a name accepts is up to its <see cref="Sampling.IAlgorithmProvider"/>; see <see cref="Sampling.AlgorithmRegistry"/>.
/// </summary>
/// <param name="Name">A name registered in <see cref="Sampling.AlgorithmRegistry"/>.</param>
/// <param name="Seed">Seed of every random choice; null asks the tuner to pick one and record it.</param>
public sealed record AlgorithmSpec(string Name = AlgorithmSpec.DefaultName, long? Seed = null)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoOptions = new Dictionary<string, JsonElement>(StringComparer.Ordinal);

    /// <summary>
    /// The algorithm of a study that names none (CONTRACTS.md §1). Its provider lives outside Core (HpcTune.Gp), so a
    /// program that relies on the default registers it first.
    /// </summary>
    public const string DefaultName = "gp";

    /// <summary>The algorithm's own options (every key of the JSON object but <c>name</c> and <c>seed</c>), as written.</summary>
    public IReadOnlyDictionary<string, JsonElement> Options
    {
        get;
        init => field = value is null || value.Count == 0 ? NoOptions : value.ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal);
    } = NoOptions;

    /// <summary>A copy with option <paramref name="name"/> set to <paramref name="value"/> (any JSON value).</summary>
    public AlgorithmSpec WithOption(string name, JsonElement value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name is "name" or "seed")
        {
            throw new ArgumentException($"'{name}' is not an option but a property of the algorithm itself", nameof(name));
        }

        var options = new Dictionary<string, JsonElement>(Options, StringComparer.Ordinal) { [name] = value };
        return this with { Options = options };
    }

    /// <summary>A copy with the integer option <paramref name="name"/>.</summary>
    public AlgorithmSpec WithOption(string name, long value) => WithOption(name, JsonSerializer.SerializeToElement(value, AlgorithmOptionJsonContext.Default.Int64));

    /// <summary>A copy with the number option <paramref name="name"/>.</summary>
    public AlgorithmSpec WithOption(string name, double value) => WithOption(name, JsonSerializer.SerializeToElement(value, AlgorithmOptionJsonContext.Default.Double));

    /// <summary>A copy with the string option <paramref name="name"/>.</summary>
    public AlgorithmSpec WithOption(string name, string value) => WithOption(name, JsonSerializer.SerializeToElement(value ?? throw new ArgumentNullException(nameof(value)), AlgorithmOptionJsonContext.Default.String));

    /// <summary>A copy with the boolean option <paramref name="name"/>.</summary>
    public AlgorithmSpec WithOption(string name, bool value) => WithOption(name, JsonSerializer.SerializeToElement(value, AlgorithmOptionJsonContext.Default.Boolean));

    /// <summary>True when the name, the seed and every option (as JSON, <see cref="JsonElement.DeepEquals"/>) are equal.</summary>
    public bool Equals(AlgorithmSpec? other) =>
        other is not null
        && Name == other.Name
        && Seed == other.Seed
        && Options.Count == other.Options.Count
        && Options.All(p => other.Options.TryGetValue(p.Key, out var value) && JsonElement.DeepEquals(p.Value, value));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Seed, Options.Count);
}
