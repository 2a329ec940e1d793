using HpcTune.Space;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// The GP's inputs: numeric parameters keep their unit-cube coordinate (log parameters are already uniform in
/// log space; ints and steps are relaxed to the continuous interval), categoricals become one-hot blocks, so
/// two different categories are always at the same distance instead of an arbitrary ordinal one.
/// </summary>
public sealed class FeatureEncoder
{
    private readonly SearchSpace _space;
    private readonly int[] _offset;
    private readonly int[] _width;

    /// <summary>Builds the layout for <paramref name="space"/>.</summary>
    public FeatureEncoder(SearchSpace space)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _offset = new int[space.Dimension];
        _width = new int[space.Dimension];
        var continuous = new List<int>();
        var offset = 0;
        for (var p = 0; p < space.Dimension; p++)
        {
            var parameter = space.Parameters[p];
            _offset[p] = offset;
            _width[p] = parameter.Type == ParameterType.Categorical ? parameter.CategoricalValues.Count : 1;
            if (parameter.Type != ParameterType.Categorical)
            {
                continuous.Add(offset);
            }

            offset += _width[p];
        }

        Dimension = offset;
        ContinuousFeatures = continuous;
    }

    /// <summary>Number of parameters (unit-cube coordinates).</summary>
    public int ParameterCount => _space.Dimension;

    /// <summary>Number of features.</summary>
    public int Dimension { get; }

    /// <summary>Indices of the features that vary continuously (the numeric parameters).</summary>
    public IReadOnlyList<int> ContinuousFeatures { get; }

    /// <summary>Features of an assignment.</summary>
    public void Encode(Assignment assignment, Span<double> features)
    {
        Span<double> unit = stackalloc double[_space.Dimension];
        _space.Encode(assignment, unit);
        FromUnit(unit, features);
    }

    /// <summary>Features of a unit-cube point (one coordinate per parameter).</summary>
    public void FromUnit(ReadOnlySpan<double> unit, Span<double> features)
    {
        features[..Dimension].Clear();
        for (var p = 0; p < _offset.Length; p++)
        {
            if (_width[p] == 1 && _space.Parameters[p].Type != ParameterType.Categorical)
            {
                features[_offset[p]] = unit[p];
            }
            else
            {
                features[_offset[p] + Math.Min((int)(unit[p] * _width[p]), _width[p] - 1)] = 1;
            }
        }
    }

    /// <summary>The assignment features stand for: numeric coordinates clamped, each one-hot block by its largest entry.</summary>
    public Assignment Decode(ReadOnlySpan<double> features)
    {
        Span<double> unit = stackalloc double[_space.Dimension];
        for (var p = 0; p < _offset.Length; p++)
        {
            if (_space.Parameters[p].Type != ParameterType.Categorical)
            {
                unit[p] = Math.Clamp(features[_offset[p]], 0, 1);
                continue;
            }

            var block = features.Slice(_offset[p], _width[p]);
            var best = 0;
            for (var i = 1; i < block.Length; i++)
            {
                best = block[i] > block[best] ? i : best;
            }

            unit[p] = (best + 0.5) / _width[p];
        }

        return _space.Decode(unit);
    }
}
