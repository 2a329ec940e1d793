using System.Globalization;

namespace HpcTune.Values;

/// <summary>
/// A value that is either a number or a string: a parameter's assigned value
/// (numbers for <c>double</c>/<c>int</c>, strings for <c>categorical</c>) or a metadata value.
/// </summary>
public readonly struct Scalar : IEquatable<Scalar>
{
    private readonly double _number;
    private readonly string? _text;

    private Scalar(double number, string? text)
    {
        _number = number;
        _text = text;
    }

    /// <summary>Creates a numeric value.</summary>
    public static Scalar FromNumber(double number) => new(number, null);

    /// <summary>Creates a string value.</summary>
    public static Scalar FromText(string text) => new(0, text ?? throw new ArgumentNullException(nameof(text)));

    /// <summary>True when this value holds a string.</summary>
    public bool IsText => _text is not null;

    /// <summary>The number; throws when the value is a string.</summary>
    public double Number => _text is null ? _number : throw new InvalidOperationException($"'{_text}' is a string, not a number.");

    /// <summary>The string; throws when the value is a number.</summary>
    public string Text => _text ?? throw new InvalidOperationException($"{FormatNumber(_number)} is a number, not a string.");

    /// <summary>Formats a number the way HpcTune writes it everywhere: invariant, round-trippable, integers without a fraction.</summary>
    public static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override string ToString() => _text ?? FormatNumber(_number);

    /// <inheritdoc/>
    public bool Equals(Scalar other) =>
        _text is null ? other._text is null && _number.Equals(other._number) : string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Scalar other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _text is null ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_text);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Scalar left, Scalar right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Scalar left, Scalar right) => !left.Equals(right);

    /// <summary>Converts a number.</summary>
    public static implicit operator Scalar(double number) => FromNumber(number);

    /// <summary>Converts a string.</summary>
    public static implicit operator Scalar(string text) => FromText(text);
}
