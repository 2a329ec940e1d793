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

    /// <summary>
    /// Validates <paramref name="parameters"/> and the switches of a conditional space, <paramref name="conditionals"/>;
    /// errors name <c>parameters[i]</c> or <c>conditionals[i]</c> and the field.
    /// </summary>
    public SearchSpace(IEnumerable<ParameterDefinition> parameters, IEnumerable<ConditionalDefinition>? conditionals = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = [.. parameters];
        Conditionals = conditionals is null ? [] : [.. conditionals];
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
        var variables = new Dictionary<string, (string Name, string Path)>(StringComparer.Ordinal);
        for (var i = 0; i < Parameters.Count; i++)
        {
            var name = Parameters[i].Name;
            Parameters[i].Validate($"parameters[{i}]");
            if (!seen.TryAdd(name, i))
            {
                throw new DefinitionException($"parameters[{i}].name", $"duplicate parameter name '{name}' (also parameters[{seen[name]}])");
            }

            RequireOwnVariable(name, $"parameters[{i}]", variables);
        }

        ConditionalRules.Validate(Conditionals, Parameters);
        for (var i = 0; i < Conditionals.Count; i++)
        {
            RequireOwnVariable(Conditionals[i].Name, $"conditionals[{i}]", variables);
        }

        // The switches come first in the unit cube and in every assignment: they decide which parameters follow.
        _dimensions = [.. Conditionals.Select(c => c.AsCategorical()).Concat(Parameters)];
        _codecs = [.. _dimensions.Select(p => new UnitIntervalCodec(p))];
        _names = [.. _dimensions.Select(p => p.Name)];
    }

    private readonly ParameterDefinition[] _dimensions;

    /// <summary>What each unit-cube coordinate holds: the switches (as categoricals), then the parameters.</summary>
    internal IReadOnlyList<ParameterDefinition> Dimensions => _dimensions;

    /// <summary>
    /// A command gets each parameter as <c>HPCTUNE_PARAM_&lt;NAME&gt;</c> (<see cref="ParameterNames.EnvironmentVariable"/>):
    /// two names that map to one variable would leave the command one of the two values while the journal records both.
    /// </summary>
    private static void RequireOwnVariable(string name, string path, Dictionary<string, (string Name, string Path)> variables)
    {
        if (ParameterNames.Relaxed)
        {
            return;
        }

        var variable = ParameterNames.EnvironmentVariable(name);
        if (ParameterNames.ReservedEnvironmentVariables.Contains(variable))
        {
            throw new DefinitionException($"{path}.name", $"'{name}' would set {variable}, a variable HpcTune sets itself; rename the parameter");
        }

        if (!variables.TryAdd(variable, (name, path)))
        {
            var other = variables[variable];
            throw new DefinitionException($"{path}.name",
                $"'{name}' and '{other.Name}' ({other.Path}) both become the environment variable {variable}, so a command "
                + "would get only one of their values; rename one of them (letters are upper-cased, anything but A-Z, 0-9 and _ becomes _)");
        }
    }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<ParameterDefinition> Parameters { get; }

    /// <summary>The switches of a conditional space (empty for most spaces).</summary>
    public IReadOnlyList<ConditionalDefinition> Conditionals { get; }

    /// <summary>True when the space has switches, so some parameters may be inactive (absent) in an assignment.</summary>
    public bool HasConditions => Conditionals.Count > 0;

    /// <summary>
    /// Every name an assignment may carry, in unit-cube order: the conditionals' names, then the parameters'.
    /// Without conditionals, the parameter names.
    /// </summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of unit-cube coordinates: one per conditional and one per parameter.</summary>
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

        return HasConditions ? WithoutInactive(values) : new Assignment(_names, values);
    }

    /// <summary>The assignment of the switches and the parameters they make active; <paramref name="values"/> holds every dimension.</summary>
    private Assignment WithoutInactive(Scalar[] values)
    {
        var switches = new Assignment(_names.AsSpan(0, Conditionals.Count).ToArray(), values.AsSpan(0, Conditionals.Count).ToArray());
        var names = new List<string>(values.Length);
        var kept = new List<Scalar>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (i < Conditionals.Count || _dimensions[i].IsActive(switches))
            {
                names.Add(_names[i]);
                kept.Add(values[i]);
            }
        }

        return new Assignment(names, kept);
    }

    /// <summary>True when parameter <paramref name="name"/> is active in <paramref name="assignment"/> (always, without conditions).</summary>
    public bool IsActive(string name, IReadOnlyDictionary<string, Scalar> assignment)
    {
        var index = Array.IndexOf(_names, name);
        return index < 0 ? throw new ArgumentException($"'{name}' is not a parameter of this space") : _dimensions[index].IsActive(assignment);
    }

    /// <summary>Writes the unit-cube position of <paramref name="assignment"/> into <paramref name="destination"/>.</summary>
    public void Encode(Assignment assignment, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        CheckLength(destination.Length);
        for (var i = 0; i < _codecs.Length; i++)
        {
            if (assignment.TryGetValue(_names[i], out var value))
            {
                destination[i] = _codecs[i].Encode(value);
            }
            else if (HasConditions && !_dimensions[i].IsActive(assignment))
            {
                destination[i] = 0.5; // an inactive parameter has no value; the centre stands for it
            }
            else
            {
                throw new ArgumentException($"the assignment has no value for parameter '{_names[i]}'");
            }
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

        if (HasConditions)
        {
            return CreateConditionalAssignment(values);
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

    private Assignment CreateConditionalAssignment(IReadOnlyDictionary<string, Scalar> values)
    {
        var names = new List<string>(_names.Length);
        var ordered = new List<Scalar>(_names.Length);
        for (var i = 0; i < _names.Length; i++)
        {
            var kind = i < Conditionals.Count ? "conditional" : "parameter";
            var active = i < Conditionals.Count || _dimensions[i].IsActive(values);
            var present = values.TryGetValue(_names[i], out var value);
            if (active && !present)
            {
                throw new ArgumentException($"no value for {kind} '{_names[i]}'");
            }

            if (!active && present)
            {
                throw new ArgumentException($"parameter '{_names[i]}' is inactive ({DescribeConditions(_dimensions[i], values)}) and must be absent");
            }

            if (present)
            {
                _codecs[i].Encode(value);
                names.Add(_names[i]);
                ordered.Add(value);
            }
        }

        return new Assignment(names, ordered);
    }

    private static string DescribeConditions(ParameterDefinition parameter, IReadOnlyDictionary<string, Scalar> values) =>
        string.Join("; ", parameter.Conditions.Select(c =>
            $"it needs {c.Key} in {{{string.Join(", ", c.Value)}}}, the assignment has {(values.TryGetValue(c.Key, out var v) ? $"{c.Key} = {v}" : $"no {c.Key}")}"));

    /// <summary>
    /// <paramref name="values"/> less the parameters its switches make inactive: a full set of values (a placeholder,
    /// a default) becomes one that <see cref="CreateAssignment"/> accepts.
    /// </summary>
    public IReadOnlyDictionary<string, Scalar> WithoutInactive(IReadOnlyDictionary<string, Scalar> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Where(p => Array.IndexOf(_names, p.Key) is var i && (i < 0 || _dimensions[i].IsActive(values)))
            .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private void CheckLength(int length)
    {
        if (length != _codecs.Length)
        {
            throw new ArgumentException($"the space has {_codecs.Length} dimensions but {length} coordinates were given");
        }
    }
}
