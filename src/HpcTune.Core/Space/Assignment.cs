using System.Collections;
using HpcTune.Values;

namespace HpcTune.Space;

/// <summary>
/// The values of every parameter of a space for one trial, in the space's parameter order.
/// Immutable; read by name (<c>a["lr"]</c>, <see cref="GetDouble"/>, <see cref="GetInt"/>, <see cref="GetString"/>).
/// </summary>
public sealed class Assignment : IReadOnlyDictionary<string, Scalar>, IEquatable<Assignment>
{
    private readonly IReadOnlyList<string> _names;
    private readonly Scalar[] _values;

    /// <summary>Creates an assignment; <paramref name="names"/> and <paramref name="values"/> are parallel.</summary>
    public Assignment(IReadOnlyList<string> names, IReadOnlyList<Scalar> values)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(values);
        if (names.Count != values.Count)
        {
            throw new ArgumentException($"{names.Count} names but {values.Count} values");
        }

        _names = names;
        _values = [.. values];
    }

    /// <summary>The parameter names, in space order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The values, in space order.</summary>
    public IReadOnlyList<Scalar> Values => _values;

    /// <inheritdoc/>
    public int Count => _values.Length;

    /// <inheritdoc/>
    public Scalar this[string key] => TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"no parameter named '{key}'; the parameters are {string.Join(", ", _names)}");

    /// <summary>A numeric parameter's value.</summary>
    public double GetDouble(string name) => this[name].Number;

    /// <summary>An int parameter's value.</summary>
    public long GetInt(string name) => checked((long)this[name].Number);

    /// <summary>A categorical parameter's value.</summary>
    public string GetString(string name) => this[name].Text;

    /// <inheritdoc/>
    public bool TryGetValue(string key, out Scalar value)
    {
        for (var i = 0; i < _names.Count; i++)
        {
            if (string.Equals(_names[i], key, StringComparison.Ordinal))
            {
                value = _values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    IEnumerable<string> IReadOnlyDictionary<string, Scalar>.Keys => _names;

    IEnumerable<Scalar> IReadOnlyDictionary<string, Scalar>.Values => _values;

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Scalar>> GetEnumerator()
    {
        for (var i = 0; i < _values.Length; i++)
        {
            yield return new KeyValuePair<string, Scalar>(_names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(Assignment? other) =>
        other is not null && _names.SequenceEqual(other._names, StringComparer.Ordinal) && _values.AsSpan().SequenceEqual(other._values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Assignment);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}={p.Value}"));
}
