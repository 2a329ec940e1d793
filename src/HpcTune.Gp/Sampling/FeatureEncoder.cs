using HpcTune.Sampling;
using HpcTune.Space;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// The GP's inputs: numeric parameters keep their unit-cube coordinate (log parameters are already uniform in
/// log space; ints and steps are relaxed to the continuous interval), categoricals become one-hot blocks, so
/// two different categories are always at the same distance instead of an arbitrary ordinal one.
/// </summary>
/// <remarks>
/// A categorical of more than <see cref="OneHotLimit"/> values gets a column for each of its values in
/// <c>seen</c> (those of the observations and failures) and one shared column for all the others, so its cost follows
/// the data, not its number of values: a column per value of a 100,000-value categorical made the hyperparameter fit
/// allocate a dense (D + 2)² matrix (an IndexOutOfRangeException past 46,340 columns, minutes below). A point on
/// the shared column stands for a value that no observation has, which the model cannot tell apart anyway; it is
/// decoded to such a value drawn from <see cref="Salt"/>, avoiding those given to <see cref="Avoid"/>.
/// </remarks>
internal sealed partial class FeatureEncoder
{
    /// <summary>Categoricals with at most this many values get a column per value; larger ones a column per seen value and one for the rest.</summary>
    public const int OneHotLimit = 64;

    private readonly SearchSpace _space;
    private readonly IReadOnlyList<ParameterDefinition> _dimensions; // the switches of a conditional space, then the parameters
    private readonly int[] _offset;
    private readonly int[] _width;
    private readonly int[]?[] _seenValues;               // wide categoricals: the value of each column but the last
    private readonly Dictionary<int, int>?[] _columnOf;  // wide categoricals: value index → column
    private readonly HashSet<int>?[] _avoid;

    /// <summary>Builds the layout for <paramref name="space"/> with every categorical one-hot.</summary>
    public FeatureEncoder(SearchSpace space)
        : this(space, [], ConditionalEncoding.Indicators)
    {
    }

    /// <summary>
    /// Builds the layout for <paramref name="space"/>: a categorical of more than <see cref="OneHotLimit"/> values gets a
    /// column for each value some assignment of <paramref name="seen"/> has, and one for every other value; the
    /// inactive parameters of a conditional space are encoded as <paramref name="conditional"/> says.
    /// </summary>
    public FeatureEncoder(SearchSpace space, IEnumerable<Assignment> seen, ConditionalEncoding conditional = ConditionalEncoding.Indicators)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        ArgumentNullException.ThrowIfNull(seen);
        _dimensions = space.Dimensions;
        var dimension = space.Dimension;
        _offset = new int[dimension];
        _width = new int[dimension];
        _seenValues = new int[]?[dimension];
        _columnOf = new Dictionary<int, int>?[dimension];
        _avoid = new HashSet<int>?[dimension];
        var seenIndices = new SortedSet<int>?[dimension];
        for (var p = 0; p < dimension; p++)
        {
            seenIndices[p] = IsWide(p) ? [] : null;
        }

        Span<double> unit = stackalloc double[dimension];
        foreach (var assignment in seen)
        {
            space.Encode(assignment, unit);
            for (var p = 0; p < dimension; p++)
            {
                if (IsActive(p, assignment))
                {
                    seenIndices[p]?.Add(ValueIndex(p, unit[p]));
                }
            }
        }

        var continuous = new List<int>();
        var offset = 0;
        for (var p = 0; p < dimension; p++)
        {
            var parameter = _dimensions[p];
            _offset[p] = offset;
            if (seenIndices[p] is { } indices)
            {
                _seenValues[p] = [.. indices];
                _columnOf[p] = _seenValues[p]!.Select((value, column) => (value, column)).ToDictionary(x => x.value, x => x.column);
                _avoid[p] = [];
                _width[p] = indices.Count + 1;
            }
            else
            {
                _width[p] = parameter.Type == ParameterType.Categorical ? parameter.CategoricalValues.Count : 1;
            }

            if (parameter.Type != ParameterType.Categorical)
            {
                continuous.Add(offset);
            }

            offset += _width[p];
        }

        ContinuousFeatures = continuous;
        Dimension = LayOutConditions(offset, conditional);
    }

    /// <summary>Number of parameters (unit-cube coordinates).</summary>
    public int ParameterCount => _space.Dimension;

    /// <summary>Number of features.</summary>
    public int Dimension { get; }

    /// <summary>Indices of the features that vary continuously (the numeric parameters).</summary>
    public IReadOnlyList<int> ContinuousFeatures { get; }

    /// <summary>Whether some categorical has more than <see cref="OneHotLimit"/> values (its layout then follows the data).</summary>
    public bool HasWideCategoricals => _seenValues.Any(v => v is not null);

    /// <summary>Which of the unseen values a point on a wide categorical's shared column is decoded to (set per suggestion).</summary>
    public long Salt { get; set; }

    /// <summary>Whether this layout gives the seen values of <paramref name="seen"/> exactly the columns it has.</summary>
    public bool Fits(IEnumerable<Assignment> seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (!HasWideCategoricals)
        {
            return true;
        }

        var indices = new HashSet<int>?[_space.Dimension];
        Span<double> unit = stackalloc double[_space.Dimension];
        foreach (var assignment in seen)
        {
            _space.Encode(assignment, unit);
            for (var p = 0; p < unit.Length; p++)
            {
                if (_seenValues[p] is not null && IsActive(p, assignment))
                {
                    (indices[p] ??= []).Add(ValueIndex(p, unit[p]));
                }
            }
        }

        for (var p = 0; p < _space.Dimension; p++)
        {
            if (_seenValues[p] is { } values && !(indices[p] ?? []).SetEquals(values))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Values of wide categoricals that a point on the shared column is not decoded to (those of open suggestions).</summary>
    public void Avoid(IEnumerable<Assignment> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        Span<double> unit = stackalloc double[_space.Dimension];
        foreach (var set in _avoid)
        {
            set?.Clear();
        }

        foreach (var assignment in assignments)
        {
            _space.Encode(assignment, unit);
            for (var p = 0; p < unit.Length; p++)
            {
                if (IsActive(p, assignment))
                {
                    _avoid[p]?.Add(ValueIndex(p, unit[p]));
                }
            }
        }
    }

    /// <summary>Features of an assignment.</summary>
    public void Encode(Assignment assignment, Span<double> features)
    {
        Span<double> unit = stackalloc double[_space.Dimension];
        _space.Encode(assignment, unit);
        features[..Dimension].Clear();
        for (var p = 0; p < _offset.Length; p++)
        {
            if (_columnOf[p] is { } columns)
            {
                features[_offset[p] + columns.GetValueOrDefault(ValueIndex(p, unit[p]), _width[p] - 1)] = 1;
            }
            else
            {
                SetFromUnit(p, unit[p], features);
            }
        }

        Impute(features);
    }

    /// <summary>
    /// Features of a unit-cube point (one coordinate per parameter): a wide categorical's coordinate picks one of its
    /// columns, each alike, so candidates drawn uniformly spread over the seen values and the rest as the model sees them.
    /// </summary>
    public void FromUnit(ReadOnlySpan<double> unit, Span<double> features)
    {
        features[..Dimension].Clear();
        for (var p = 0; p < _offset.Length; p++)
        {
            SetFromUnit(p, unit[p], features);
        }

        Impute(features);
    }

    /// <summary>The assignment features stand for: numeric coordinates clamped, each one-hot block by its largest entry.</summary>
    public Assignment Decode(ReadOnlySpan<double> features)
    {
        Span<double> unit = stackalloc double[_space.Dimension];
        for (var p = 0; p < _offset.Length; p++)
        {
            if (_dimensions[p].Type != ParameterType.Categorical)
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

            var values = _dimensions[p].CategoricalValues.Count;
            var index = _seenValues[p] is not { } seen ? best : best < seen.Length ? seen[best] : Unseen(p, values);
            unit[p] = (index + 0.5) / values;
        }

        return _space.Decode(unit);
    }

    private bool IsWide(int p) => _dimensions[p].Type == ParameterType.Categorical && _dimensions[p].CategoricalValues.Count > OneHotLimit;

    private int ValueIndex(int p, double unit)
    {
        var values = _dimensions[p].CategoricalValues.Count;
        return Math.Clamp((int)(unit * values), 0, values - 1);
    }

    private void SetFromUnit(int p, double unit, Span<double> features)
    {
        if (_width[p] == 1 && _dimensions[p].Type != ParameterType.Categorical)
        {
            features[_offset[p]] = unit;
        }
        else
        {
            features[_offset[p] + Math.Min((int)(unit * _width[p]), _width[p] - 1)] = 1;
        }
    }

    /// <summary>A value of wide categorical <paramref name="p"/> that has no column and is not avoided, drawn from <see cref="Salt"/>.</summary>
    private int Unseen(int p, int values)
    {
        var random = new SplitMix64(SplitMix64.Derive(Salt, p));
        var index = 0;
        for (var attempt = 0; attempt < 256; attempt++)
        {
            index = (int)(random.NextDouble() * values);
            if (!_columnOf[p]!.ContainsKey(index) && !_avoid[p]!.Contains(index))
            {
                return index;
            }
        }

        // Nearly every value seen or open: the first free one in order, else the last draw (a taken one is skipped by the search).
        for (var i = 0; i < values; i++)
        {
            if (!_columnOf[p]!.ContainsKey(i) && !_avoid[p]!.Contains(i))
            {
                return i;
            }
        }

        return index;
    }
}
