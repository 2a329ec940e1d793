using HpcTune.Values;

namespace HpcTune.Space;

/// <summary>
/// Maps one parameter to and from [0, 1]. Quantized domains (ints, steps, categoricals) use equal-width bins
/// whose centres are the encodings, so <c>Decode(Encode(v)) == v</c> exactly for every valid value and
/// every grid point gets the same share of the interval. Log layouts are uniform in ln(value).
/// </summary>
internal sealed class UnitIntervalCodec
{
    private readonly ParameterDefinition _parameter;
    private readonly double _low;      // transformed lower edge
    private readonly double _high;     // transformed upper edge
    private readonly double _step;     // grid step, 0 when continuous
    private readonly long _count;      // number of grid points or categories, 0 when continuous

    public UnitIntervalCodec(ParameterDefinition parameter)
    {
        _parameter = parameter;
        switch (parameter.Type)
        {
            case ParameterType.Categorical:
                _count = parameter.CategoricalValues.Count;
                break;
            case ParameterType.Int:
            case ParameterType.Double when parameter.Step is not null:
                _step = parameter.Step ?? 1.0;
                _count = (long)Math.Floor(((parameter.Max - parameter.Min) / _step) + 1e-9) + 1;
                var lastGrid = GridValue(_count - 1);
                var half = _step / 2;
                var lowEdge = parameter.Min - half;
                _low = Transform(parameter.Transformation == Transformation.Log && lowEdge <= 0 ? parameter.Min : lowEdge);
                _high = Transform(lastGrid + half);
                break;
            default:
                _low = Transform(parameter.Min);
                _high = Transform(parameter.Max);
                break;
        }
    }

    private bool IsLog => _parameter.Transformation == Transformation.Log;

    private double Transform(double x) => IsLog ? Math.Log(x) : x;

    private double Untransform(double t) => IsLog ? Math.Exp(t) : t;

    // The clamp keeps the last grid point inside the bounds when min + k * step rounds one ulp past max.
    private double GridValue(long index) => Math.Min(_parameter.Min + (index * _step), _parameter.Max);

    /// <summary>Value at <paramref name="u"/> in [0, 1] (clamped).</summary>
    public Scalar Decode(double u)
    {
        if (double.IsNaN(u))
        {
            throw new ArgumentException($"parameter '{_parameter.Name}': cannot decode NaN", nameof(u));
        }

        u = Math.Clamp(u, 0.0, 1.0);
        if (_parameter.Type == ParameterType.Categorical)
        {
            return _parameter.CategoricalValues[(int)BinIndex(u)];
        }

        var x = Untransform(_low + (u * (_high - _low)));
        if (_count == 0)
        {
            return Math.Clamp(x, _parameter.Min, _parameter.Max);
        }

        // Linear grids are exact equal bins; log grids round in value space, which for a grid point's own
        // bin [g - step/2, g + step/2] always gives back g.
        var index = IsLog ? Math.Clamp((long)Math.Round((x - _parameter.Min) / _step), 0, _count - 1) : BinIndex(u);
        return GridValue(index);
    }

    /// <summary>Position in [0, 1] of a valid value; throws <see cref="ArgumentException"/> naming the parameter otherwise.</summary>
    public double Encode(Scalar value)
    {
        if (_parameter.Type == ParameterType.Categorical)
        {
            if (!value.IsText)
            {
                throw new ArgumentException($"parameter '{_parameter.Name}' is categorical; got {(value.IsBoolean ? "the boolean" : "the number")} {value}");
            }

            var index = IndexOfCategory(value.Text);
            return index < 0
                ? throw new ArgumentException($"parameter '{_parameter.Name}': '{value.Text}' is not one of {{{string.Join(", ", _parameter.CategoricalValues)}}}")
                : (index + 0.5) / _count;
        }

        if (!value.IsNumber)
        {
            throw new ArgumentException($"parameter '{_parameter.Name}' is numeric; got {(value.IsText ? $"the string '{value.Text}'" : $"the boolean {value}")}");
        }

        var x = value.Number;
        if (!double.IsFinite(x) || x < _parameter.Min || x > _parameter.Max)
        {
            throw new ArgumentException($"parameter '{_parameter.Name}': {value} is outside [{Scalar.FormatNumber(_parameter.Min)}, {Scalar.FormatNumber(_parameter.Max)}]");
        }

        if (_count == 0)
        {
            return Math.Clamp((Transform(x) - _low) / (_high - _low), 0.0, 1.0);
        }

        var gridIndex = (long)Math.Round((x - _parameter.Min) / _step);
        if (gridIndex >= _count || Math.Abs(GridValue(gridIndex) - x) > 1e-9 * Math.Max(1.0, Math.Abs(x)))
        {
            throw new ArgumentException($"parameter '{_parameter.Name}': {value} is not on the grid {Scalar.FormatNumber(_parameter.Min)} + k * {Scalar.FormatNumber(_step)}");
        }

        return IsLog
            ? Math.Clamp((Transform(GridValue(gridIndex)) - _low) / (_high - _low), 0.0, 1.0)
            : (gridIndex + 0.5) / _count;
    }

    private long BinIndex(double u) => Math.Min((long)(u * _count), _count - 1);

    private int IndexOfCategory(string text)
    {
        for (var i = 0; i < _parameter.CategoricalValues.Count; i++)
        {
            if (string.Equals(_parameter.CategoricalValues[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
