using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Search.Evolution;

/// <summary>
/// Regularized evolution's mutation over a study's space: one active dimension of the parent (a switch of a
/// conditional space, or a parameter the switches make active), chosen uniformly among those that can change, takes
/// another value; everything else is kept.
/// <list type="bullet">
/// <item>A categorical value (or a switch) becomes another of its values, uniformly.</item>
/// <item>A number moves by a normal step of <see cref="EvolutionOptions.MutationScale"/> in the space's unit coordinate
/// (uniform in the logarithm under <c>"transformation": "log"</c>), reflected at the bounds, and is decoded to the
/// parameter's grid (integers, <c>step</c>); when that rounds back to the same grid point it moves one point the way
/// the step pointed (back from an end).</item>
/// <item>A switch that changes makes some parameters active, which are drawn uniformly from the space, and others
/// inactive, which are dropped; the space checks the result (<see cref="SearchSpace.CreateAssignment"/>).</item>
/// </list>
/// </summary>
internal sealed class Mutator
{
    private readonly SearchSpace _space;
    private readonly double _scale;
    private readonly ParameterDefinition[] _dimensions;
    private readonly UnitIntervalCodec[] _codecs;

    public Mutator(SearchSpace space, double scale)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _scale = scale;
        _dimensions = [.. space.Conditionals.Select(c => c.AsCategorical()), .. space.Parameters];
        _codecs = [.. _dimensions.Select(d => new UnitIntervalCodec(d))];
    }

    /// <summary>A child of <paramref name="parent"/> drawn from a stream of <paramref name="seed"/> alone (see <see cref="Mutate(Assignment, ref SplitMix64)"/>).</summary>
    public Assignment Mutate(Assignment parent, long seed)
    {
        var random = new SplitMix64(seed);
        return Mutate(parent, ref random);
    }

    /// <summary>A child of <paramref name="parent"/> with one active dimension changed, or the parent itself when no dimension can change.</summary>
    public Assignment Mutate(Assignment parent, ref SplitMix64 random)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var mutable = new List<int>(_dimensions.Length);
        for (var i = 0; i < _dimensions.Length; i++)
        {
            if (parent.ContainsKey(_dimensions[i].Name) && CanChange(_dimensions[i]))
            {
                mutable.Add(i);
            }
        }

        if (mutable.Count == 0)
        {
            return parent;
        }

        var chosen = mutable[Index(ref random, mutable.Count)];
        var values = parent.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        values[_dimensions[chosen].Name] = Changed(chosen, parent[_dimensions[chosen].Name], ref random);
        if (chosen < _space.Conditionals.Count)
        {
            Reconcile(values, ref random);
        }

        return _space.CreateAssignment(values);
    }

    /// <summary>After a switch changed: parameters it turned on get a value drawn from the space, those it turned off lose theirs.</summary>
    private void Reconcile(Dictionary<string, Scalar> values, ref SplitMix64 random)
    {
        for (var i = _space.Conditionals.Count; i < _dimensions.Length; i++)
        {
            var name = _dimensions[i].Name;
            var active = _dimensions[i].IsActive(values);
            if (active && !values.ContainsKey(name))
            {
                values[name] = _codecs[i].Decode(random.NextDouble());
            }
            else if (!active)
            {
                values.Remove(name);
            }
        }
    }

    private Scalar Changed(int dimension, Scalar current, ref SplitMix64 random)
    {
        var parameter = _dimensions[dimension];
        if (parameter.Type == ParameterType.Categorical)
        {
            var values = parameter.CategoricalValues;
            var index = IndexOf(values, current.Text);
            var other = Index(ref random, values.Count - 1);
            return values[other >= index ? other + 1 : other];
        }

        var codec = _codecs[dimension];
        var continuous = parameter.Type == ParameterType.Double && parameter.Step is null;
        for (var attempt = 0; ; attempt++)
        {
            var step = _scale * Normal(ref random);
            var moved = codec.Decode(Reflect(codec.Encode(current) + step));
            if (moved.Number != current.Number)
            {
                return moved;
            }

            // A continuous value that did not move took a step below its resolution: draw the step again.
            if (!continuous || attempt == MaxRedraws)
            {
                return continuous ? moved : Neighbour(parameter, current.Number, step >= 0 ? 1 : -1);
            }
        }
    }

    private const int MaxRedraws = 16;

    /// <summary>The grid point next to <paramref name="x"/> in <paramref name="direction"/>, or the other way at an end.</summary>
    private static Scalar Neighbour(ParameterDefinition parameter, double x, int direction)
    {
        var step = parameter.Step ?? 1.0;
        var count = (long)Math.Floor(((parameter.Max - parameter.Min) / step) + 1e-9) + 1;
        var index = Math.Clamp((long)Math.Round((x - parameter.Min) / step), 0, count - 1);
        var next = index + direction is var n && n >= 0 && n < count ? n : index - direction;
        return Math.Min(parameter.Min + (next * step), parameter.Max);
    }

    /// <summary>True when the dimension has more than one value.</summary>
    private static bool CanChange(ParameterDefinition parameter) => parameter.Type == ParameterType.Categorical
        ? parameter.CategoricalValues.Count > 1
        : parameter.Max > parameter.Min && (parameter.Step is not { } step || parameter.Max - parameter.Min >= step * (1 - 1e-9));

    /// <summary><paramref name="u"/> folded back into [0, 1] at its ends (a step past a bound comes back inside).</summary>
    private static double Reflect(double u)
    {
        u = Math.Abs(u) % 2.0;
        return u > 1 ? 2 - u : u;
    }

    private static int IndexOf(IReadOnlyList<string> values, string text)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{text}' is not one of {{{string.Join(", ", values)}}}", nameof(text));
    }

    /// <summary>Uniform in 0..<paramref name="count"/> − 1.</summary>
    internal static int Index(ref SplitMix64 random, int count) => Math.Min((int)(random.NextDouble() * count), count - 1);

    /// <summary>A standard normal number (Box-Muller), from two uniforms of <paramref name="random"/>.</summary>
    private static double Normal(ref SplitMix64 random)
    {
        var u1 = 1.0 - random.NextDouble(); // in (0, 1]: the logarithm stays finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
