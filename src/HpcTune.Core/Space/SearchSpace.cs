using HpcTune.Study;
using HpcTune.Values;

namespace HpcTune.Space;

/// <summary>
/// An ordered, validated set of parameters with a two-way mapping to the unit cube [0, 1]^d
/// (one coordinate per parameter) that every sampler works in.
/// </summary>
public sealed class SearchSpace
{
    private readonly UnitIntervalCodec[] _codecs;
    private readonly string[] _names;

    /// <summary>The most parameters a space may have.</summary>
    public const int MaxParameters = 10_000;

    /// <summary>Validates <paramref name="parameters"/>; errors name <c>parameters[i]</c> and the field.</summary>
    public SearchSpace(IEnumerable<ParameterDefinition> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        if (Parameters.Count == 0)
        {
            throw new DefinitionException("parameters", "at least one parameter is needed");
        }

        if (Parameters.Count > MaxParameters)
        {
            throw new DefinitionException("parameters",
                $"the study has {Parameters.Count} parameters; HpcTune supports at most {MaxParameters}: use fewer parameters (fix some, or tune them in separate studies)");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var variables = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Parameters.Count; i++)
        {
            var name = Parameters[i].Name;
            Parameters[i].Validate($"parameters[{i}]");
            if (!seen.TryAdd(name, i))
            {
                throw new DefinitionException($"parameters[{i}].name", $"duplicate parameter name '{name}' (also parameters[{seen[name]}])");
            }

            RequireOwnVariable(i, variables);
        }

        _codecs = [.. Parameters.Select(p => new UnitIntervalCodec(p))];
        _names = [.. Parameters.Select(p => p.Name)];
    }

    /// <summary>
    /// A command gets each parameter as <c>HPCTUNE_PARAM_&lt;NAME&gt;</c> (<see cref="ParameterNames.EnvironmentVariable"/>):
    /// two names that map to one variable would leave the command one of the two values while the journal records both.
    /// </summary>
    private void RequireOwnVariable(int index, Dictionary<string, int> variables)
    {
        if (ParameterNames.Relaxed)
        {
            return;
        }

        var name = Parameters[index].Name;
        var variable = ParameterNames.EnvironmentVariable(name);
        if (ParameterNames.ReservedEnvironmentVariables.Contains(variable))
        {
            throw new DefinitionException($"parameters[{index}].name", $"'{name}' would set {variable}, a variable HpcTune sets itself; rename the parameter");
        }

        if (!variables.TryAdd(variable, index))
        {
            var other = variables[variable];
            throw new DefinitionException($"parameters[{index}].name",
                $"'{name}' and '{Parameters[other].Name}' (parameters[{other}]) both become the environment variable {variable}, so a command "
                + "would get only one of their values; rename one of them (letters are upper-cased, anything but A-Z, 0-9 and _ becomes _)");
        }
    }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>The parameter names, in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of unit-cube coordinates (one per parameter).</summary>
    public int Dimension => _codecs.Length;

    /// <summary>The assignment at unit-cube point <paramref name="unit"/> (coordinates are clamped to [0, 1]).</summary>
    public Assignment Decode(ReadOnlySpan<double> unit)
    {
        CheckLength(unit.Length);
        var values = new Scalar[_codecs.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _codecs[i].Decode(unit[i]);
        }

        return new Assignment(_names, values);
    }

    /// <summary>Writes the unit-cube position of <paramref name="assignment"/> into <paramref name="destination"/>.</summary>
    public void Encode(Assignment assignment, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        CheckLength(destination.Length);
        for (var i = 0; i < _codecs.Length; i++)
        {
            if (!assignment.TryGetValue(_names[i], out var value))
            {
                throw new ArgumentException($"the assignment has no value for parameter '{_names[i]}'");
            }

            destination[i] = _codecs[i].Encode(value);
        }
    }

    /// <summary>The unit-cube position of <paramref name="assignment"/>.</summary>
    public double[] Encode(Assignment assignment)
    {
        var unit = new double[Dimension];
        Encode(assignment, unit);
        return unit;
    }

    /// <summary>
    /// Builds an assignment from user-given values, checking each against its parameter
    /// (throws <see cref="ArgumentException"/> naming the parameter).
    /// </summary>
    public Assignment CreateAssignment(IReadOnlyDictionary<string, Scalar> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        foreach (var key in values.Keys)
        {
            if (Array.IndexOf(_names, key) < 0)
            {
                throw new ArgumentException($"'{key}' is not a parameter of this space; the parameters are {string.Join(", ", _names)}");
            }
        }

        var ordered = new Scalar[_names.Length];
        for (var i = 0; i < _names.Length; i++)
        {
            if (!values.TryGetValue(_names[i], out ordered[i]))
            {
                throw new ArgumentException($"no value for parameter '{_names[i]}'");
            }

            _codecs[i].Encode(ordered[i]);
        }

        return new Assignment(_names, ordered);
    }

    private void CheckLength(int length)
    {
        if (length != _codecs.Length)
        {
            throw new ArgumentException($"the space has {_codecs.Length} dimensions but {length} coordinates were given");
        }
    }
}
