using HpcTune.Study;

namespace HpcTune.Space;

/// <summary>
/// Checks a space's <c>conditionals</c> and its parameters' <c>conditions</c> (docs/study.md, "Conditional
/// parameters"); errors name the JSON path: <c>conditionals[i].values[j]</c>, <c>parameters[i].conditions.NAME</c>.
/// </summary>
internal static class ConditionalRules
{
    public static void Validate(IReadOnlyList<ConditionalDefinition> conditionals, IReadOnlyList<ParameterDefinition> parameters)
    {
        var parameterIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            parameterIndex.TryAdd(parameters[i].Name, i);
        }

        var byName = new Dictionary<string, ConditionalDefinition>(StringComparer.Ordinal);
        for (var i = 0; i < conditionals.Count; i++)
        {
            var conditional = conditionals[i];
            var path = $"conditionals[{i}]";
            // The same rules as a categorical parameter: the switch's value reaches a command the same ways.
            try
            {
                conditional.AsCategorical().Validate(path);
            }
            catch (DefinitionException e)
            {
                throw new DefinitionException(e.Path.Replace(".categorical_values", ".values", StringComparison.Ordinal), e.Problem.Replace("a categorical parameter", "a conditional", StringComparison.Ordinal));
            }

            if (parameterIndex.TryGetValue(conditional.Name, out var clash))
            {
                throw new DefinitionException($"{path}.name", $"'{conditional.Name}' is also the name of parameters[{clash}]; a conditional and a parameter need different names");
            }

            if (!byName.TryAdd(conditional.Name, conditional))
            {
                throw new DefinitionException($"{path}.name", $"duplicate conditional name '{conditional.Name}'");
            }
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            foreach (var (name, values) in parameters[i].Conditions)
            {
                var path = $"parameters[{i}].conditions.{name}";
                if (!byName.TryGetValue(name, out var conditional))
                {
                    throw new DefinitionException(path, parameterIndex.ContainsKey(name)
                        ? $"'{name}' is a parameter, not a conditional: conditions name switches declared in \"conditionals\""
                        : byName.Count == 0
                            ? $"unknown conditional '{name}': the study declares no \"conditionals\""
                            : $"unknown conditional '{name}'; the conditionals are {string.Join(", ", byName.Keys)}");
                }

                if (values.Count == 0)
                {
                    throw new DefinitionException(path, $"lists no values; the parameter would never be active (conditional '{name}' takes {string.Join(", ", conditional.Values)})");
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var j = 0; j < values.Count; j++)
                {
                    if (!conditional.Values.Contains(values[j], StringComparer.Ordinal))
                    {
                        throw new DefinitionException($"{path}[{j}]", $"'{values[j]}' is not a value of conditional '{name}'; its values are {string.Join(", ", conditional.Values)}");
                    }

                    if (!seen.Add(values[j]))
                    {
                        throw new DefinitionException($"{path}[{j}]", $"duplicate value '{values[j]}'");
                    }
                }
            }
        }
    }
}
