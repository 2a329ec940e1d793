using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Search.Population;

/// <summary>
/// PBT's explore step over a study's space: every hyperparameter (conditionals' switches included) is either drawn
/// from the space again, with probability <see cref="PbtOptions.ResampleProbability"/>, or perturbed by a factor drawn
/// from <see cref="PbtOptions.PerturbationFactors"/>:
/// <list type="bullet">
/// <item>a real number is multiplied by the factor and clamped to its bounds;</item>
/// <item>an integer or a stepped number is multiplied, rounded to its grid and clamped; when that gives back the same
/// grid point, it moves one point the way the factor points (so 1 × 1.2 becomes 2, not 1 again);</item>
/// <item>a categorical value (or a switch) moves to the next category in its list for a factor above 1, the previous one
/// below 1 (Ray Tune's rule), and stays at the ends of the list.</item>
/// </list>
/// A parameter a switch turns on that the source had no value for is drawn from the space; one it turns off is dropped.
/// Draws are uniform (log-uniform under <c>"transformation": "log"</c>) over the bounds, like random search's.
/// </summary>
internal sealed class Explorer
{
    /// <summary>Uniform numbers each dimension consumes, whether it uses them or not: plans stay aligned to their seeds.</summary>
    public const int NumbersPerDimension = 3;

    private readonly SearchSpace _space;
    private readonly PbtOptions _options;
    private readonly ParameterDefinition[] _dimensions;

    public Explorer(SearchSpace space, PbtOptions options)
    {
        _space = space;
        _options = options;
        _dimensions = [.. space.Conditionals.Select(c => ParameterDefinition.Categorical(c.Name, c.Values)), .. space.Parameters];
    }

    /// <summary>How many uniform numbers <see cref="Explore"/> and <see cref="Sample"/> read.</summary>
    public int NumbersNeeded => _dimensions.Length * NumbersPerDimension;

    /// <summary>A point drawn from the space (generation 0), from <paramref name="uniform"/> (<see cref="NumbersNeeded"/> numbers in [0, 1)).</summary>
    public Assignment Sample(ReadOnlySpan<double> uniform) => Build(null, uniform);

    /// <summary><paramref name="source"/>'s hyperparameters, each perturbed or resampled, from <paramref name="uniform"/>.</summary>
    public Assignment Explore(Assignment source, ReadOnlySpan<double> uniform) => Build(source ?? throw new ArgumentNullException(nameof(source)), uniform);

    private Assignment Build(Assignment? source, ReadOnlySpan<double> uniform)
    {
        if (uniform.Length < NumbersNeeded)
        {
            throw new ArgumentException($"{NumbersNeeded} uniform numbers are needed, got {uniform.Length}", nameof(uniform));
        }

        var values = new Dictionary<string, Scalar>(StringComparer.Ordinal);
        for (var i = 0; i < _dimensions.Length; i++)
        {
            var dimension = _dimensions[i];
            var draws = uniform.Slice(i * NumbersPerDimension, NumbersPerDimension);
            var isSwitch = i < _space.Conditionals.Count;
            if (!isSwitch && !dimension.IsActive(values))
            {
                continue; // the switches, drawn first, turned it off
            }

            values[dimension.Name] = source is not null && source.TryGetValue(dimension.Name, out var current) && draws[0] >= _options.ResampleProbability
                ? Perturb(dimension, current, _options.PerturbationFactors[Math.Min((int)(draws[1] * _options.PerturbationFactors.Count), _options.PerturbationFactors.Count - 1)])
                : Draw(dimension, draws[2]);
        }

        return _space.CreateAssignment(values);
    }

    /// <summary><paramref name="value"/> perturbed by <paramref name="factor"/>, inside <paramref name="parameter"/>'s domain.</summary>
    internal static Scalar Perturb(ParameterDefinition parameter, Scalar value, double factor)
    {
        if (parameter.Type == ParameterType.Categorical)
        {
            var index = IndexOf(parameter, value.Text);
            var moved = factor > 1 ? index + 1 : factor < 1 ? index - 1 : index;
            return parameter.CategoricalValues[Math.Clamp(moved, 0, parameter.CategoricalValues.Count - 1)];
        }

        var x = value.Number;
        var target = Math.Clamp(x * factor, parameter.Min, parameter.Max);
        if (Grid.Of(parameter) is not { } grid)
        {
            return target;
        }

        var from = grid.NearestIndex(x);
        var to = grid.NearestIndex(target);
        if (to == from && target != x)
        {
            to = Math.Clamp(from + (target > x ? 1 : -1), 0, grid.Count - 1);
        }

        return grid.Value(to);
    }

    /// <summary>A value of <paramref name="parameter"/> drawn from <paramref name="u"/> in [0, 1): uniform, or log-uniform under a log transformation.</summary>
    internal static Scalar Draw(ParameterDefinition parameter, double u)
    {
        if (parameter.Type == ParameterType.Categorical)
        {
            var count = parameter.CategoricalValues.Count;
            return parameter.CategoricalValues[Math.Min((int)(u * count), count - 1)];
        }

        var grid = Grid.Of(parameter);
        if (grid is { } linear && parameter.Transformation != Transformation.Log)
        {
            return linear.Value(Math.Min((long)(u * linear.Count), linear.Count - 1)); // equal bins, every grid point alike
        }

        var x = parameter.Transformation == Transformation.Log
            ? Math.Exp(Math.Log(parameter.Min) + (u * (Math.Log(parameter.Max) - Math.Log(parameter.Min))))
            : parameter.Min + (u * (parameter.Max - parameter.Min));
        return grid is { } g ? g.Value(g.NearestIndex(x)) : Math.Clamp(x, parameter.Min, parameter.Max);
    }

    private static int IndexOf(ParameterDefinition parameter, string text)
    {
        for (var i = 0; i < parameter.CategoricalValues.Count; i++)
        {
            if (string.Equals(parameter.CategoricalValues[i], text, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{text}' is not a value of parameter '{parameter.Name}'", nameof(text));
    }

    /// <summary>The grid of an integer or stepped parameter: <c>min + k · step</c>, the last point clamped to max (as the space's codec has it).</summary>
    private readonly record struct Grid(double Min, double Max, double Step, long Count)
    {
        public static Grid? Of(ParameterDefinition parameter)
        {
            if (parameter.Type == ParameterType.Double && parameter.Step is null)
            {
                return null;
            }

            var step = parameter.Step ?? 1.0;
            return new Grid(parameter.Min, parameter.Max, step, (long)Math.Floor(((parameter.Max - parameter.Min) / step) + 1e-9) + 1);
        }

        public long NearestIndex(double x) => Math.Clamp((long)Math.Round((x - Min) / Step), 0, Count - 1);

        public double Value(long index) => Math.Min(Min + (index * Step), Max);
    }
}
