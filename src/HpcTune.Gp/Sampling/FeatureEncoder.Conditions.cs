using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Gp.Sampling;

/// <summary>How the GP's features stand for the parameters that a conditional space's switches make inactive.</summary>
internal enum ConditionalEncoding
{
    /// <summary>
    /// An inactive numeric parameter's feature holds <see cref="FeatureEncoder.ImputedValue"/>, an inactive
    /// categorical's block is all zeros, and each distinct set of conditions gets an indicator column (1 where its
    /// parameters are active), with a length scale of its own. The switches are one-hot categoricals as well.
    /// </summary>
    Indicators,

    /// <summary>As <see cref="Indicators"/> without the indicator columns: the switches' one-hot blocks alone tell the branches apart.</summary>
    ImputeOnly,
}

/// <summary>The features of a conditional space: imputed inactive parameters and the indicators of their conditions.</summary>
internal sealed partial class FeatureEncoder
{
    /// <summary>What an inactive numeric parameter's feature holds: the centre, where the unit cube puts it too.</summary>
    public const double ImputedValue = 0.5;

    private (int Switch, bool[] Allowed)[]?[] _conditions = [];
    private int[] _indicator = [];
    private int[] _conditional = []; // the dimensions that have conditions

    /// <summary>Whether the space has switches, so that some features may stand for inactive parameters.</summary>
    public bool HasConditions => _conditional.Length > 0;

    /// <summary>
    /// Lays out what conditions need after the parameters' <paramref name="offset"/> features: for
    /// <see cref="ConditionalEncoding.Indicators"/>, a column per distinct set of conditions. Returns the feature count.
    /// </summary>
    private int LayOutConditions(int offset, ConditionalEncoding encoding)
    {
        var count = _dimensions.Count;
        _conditions = new (int, bool[])[]?[count];
        _indicator = [.. Enumerable.Repeat(-1, count)];
        var switches = _space.Conditionals.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var conditional = new List<int>();
        for (var p = 0; p < count; p++)
        {
            var conditions = _dimensions[p].Conditions;
            if (conditions.Count == 0)
            {
                continue;
            }

            conditional.Add(p);
            _conditions[p] = [.. conditions.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c =>
            {
                var s = switches[c.Key];
                var values = _space.Conditionals[s].Values;
                return (s, values.Select(v => c.Value.Contains(v, StringComparer.Ordinal)).ToArray());
            })];
            if (encoding == ConditionalEncoding.Indicators)
            {
                var key = string.Join(";", _conditions[p]!.Select(c => $"{c.Switch}:{string.Concat(c.Allowed.Select(a => a ? '1' : '0'))}"));
                if (!columns.TryGetValue(key, out var column))
                {
                    column = offset++;
                    columns.Add(key, column);
                }

                _indicator[p] = column;
            }
        }

        _conditional = [.. conditional];
        return offset;
    }

    /// <summary>Whether dimension <paramref name="p"/> is active in <paramref name="assignment"/> (always, without conditions).</summary>
    private bool IsActive(int p, IReadOnlyDictionary<string, Scalar> assignment) =>
        _dimensions[p].Conditions.Count == 0 || _dimensions[p].IsActive(assignment);

    /// <summary>Whether dimension <paramref name="p"/> is active at <paramref name="features"/>, by the switches' one-hot blocks.</summary>
    private bool IsActive(int p, ReadOnlySpan<double> features)
    {
        if (_conditions[p] is not { } conditions)
        {
            return true;
        }

        foreach (var (s, allowed) in conditions)
        {
            var value = SwitchValue(s, features);
            if (value < 0 || !allowed[value])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value index a switch's block holds (its largest entry), or −1 for a wide switch's shared column.</summary>
    private int SwitchValue(int s, ReadOnlySpan<double> features)
    {
        var block = features.Slice(_offset[s], _width[s]);
        var best = 0;
        for (var i = 1; i < block.Length; i++)
        {
            best = block[i] > block[best] ? i : best;
        }

        return _seenValues[s] is not { } seen ? best : best < seen.Length ? seen[best] : -1;
    }

    /// <summary>Whether the switches take the same values at <paramref name="a"/> and <paramref name="b"/> (always, without switches).</summary>
    public bool SameBranch(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        for (var s = 0; s < _space.Conditionals.Count; s++)
        {
            if (SwitchValue(s, a) != SwitchValue(s, b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Sets the features of the parameters inactive at <paramref name="features"/> (by its switches) to their imputed
    /// values, and the indicators; a candidate perturbed or moved into a box keeps nothing on an inactive coordinate.
    /// Does nothing for a space without conditions.
    /// </summary>
    public void Impute(Span<double> features)
    {
        foreach (var p in _conditional)
        {
            var active = IsActive(p, features);
            if (_indicator[p] >= 0)
            {
                features[_indicator[p]] = active ? 1 : 0;
            }

            if (active)
            {
                continue;
            }

            if (_dimensions[p].Type == ParameterType.Categorical)
            {
                features.Slice(_offset[p], _width[p]).Clear();
            }
            else
            {
                features[_offset[p]] = ImputedValue;
            }
        }
    }

    /// <summary>
    /// The continuous features active at <paramref name="features"/>: the only ones a refinement may move (the
    /// switches, categoricals, are held while it climbs, so the active set stays). All of them without conditions.
    /// </summary>
    public IReadOnlyList<int> ActiveContinuous(ReadOnlySpan<double> features)
    {
        if (!HasConditions)
        {
            return ContinuousFeatures;
        }

        var active = new List<int>(ContinuousFeatures.Count);
        for (var p = 0; p < _dimensions.Count; p++)
        {
            if (_dimensions[p].Type != ParameterType.Categorical && IsActive(p, features))
            {
                active.Add(_offset[p]);
            }
        }

        return active;
    }
}
