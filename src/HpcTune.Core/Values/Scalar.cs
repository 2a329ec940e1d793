using System.Globalization;

namespace HpcTune.Values;

/// <summary>
/// A value that is a number, a string or (metadata only) a boolean: a parameter's assigned value
/// (numbers for <c>double</c>/<c>int</c>, strings for <c>categorical</c>) or a metadata value.
/// </summary>
public readonly struct Scalar : IEquatable<Scalar>
{
    private readonly double _number;
    private readonly string? _text;
    private readonly bool? _boolean;

    private Scalar(double number, string? text, bool? boolean = null)
    {
        _number = number;
        _text = text;
        _boolean = boolean;
    }

    /// <summary>Creates a numeric value.</summary>
    public static Scalar FromNumber(double number) => new(number, null);

    /// <summary>Creates a string value.</summary>
    public static Scalar FromText(string text) => new(0, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>Creates a boolean value (metadata only: no parameter takes one).</summary>
    public static Scalar FromBoolean(bool value) => new(0, null, value);

    /// <summary>True when this value holds a string.</summary>
    public bool IsText => _text is not null;

    /// <summary>True when this value holds a boolean.</summary>
    public bool IsBoolean => _boolean is not null;

    /// <summary>True when this value holds a number.</summary>
    public bool IsNumber => _text is null && _boolean is null;

    /// <summary>The number; throws when the value is a string or a boolean.</summary>
    public double Number => IsNumber ? _number : throw new InvalidOperationException($"{Quoted} is a {KindName}, not a number.");

    /// <summary>The string; throws when the value is a number or a boolean.</summary>
    public string Text => _text ?? throw new InvalidOperationException($"{Quoted} is a {KindName}, not a string.");

    /// <summary>The boolean; throws when the value is a number or a string.</summary>
    public bool Boolean => _boolean ?? throw new InvalidOperationException($"{Quoted} is a {KindName}, not a boolean.");

    private string KindName => _text is not null ? "string" : _boolean is not null ? "boolean" : "number";

    private string Quoted => _text is not null ? $"'{_text}'" : ToString();

    /// <summary>Formats a number the way HpcTune writes it everywhere: invariant, round-trippable, integers without a fraction.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => _text ?? (_boolean is { } b ? (b ? "true" : "false") : FormatNumber(_number));

    /// <inheritdoc/>
    public bool Equals(Scalar other) =>
        _text is not null ? string.Equals(_text, other._text, StringComparison.Ordinal)
        : _boolean is { } b ? other._boolean == b
        : other.IsNumber && _number.Equals(other._number);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Scalar other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _text is not null ? StringComparer.Ordinal.GetHashCode(_text) : _boolean is { } b ? b.GetHashCode() : _number.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(Scalar left, Scalar right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Scalar left, Scalar right) => !left.Equals(right);

    /// <summary>Converts a number.</summary>
    public static implicit operator Scalar(double number) => FromNumber(number);

    /// <summary>Converts a string.</summary>
    public static implicit operator Scalar(string text) => FromText(text);
}
