using System.Text.Json;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Cli.Report;

/// <summary>
/// The study's switches and parameters as the report's axes: a numeric one (log-scaled where the parameter is) or a
/// categorical one, whose values are written as indices into its <c>categories</c>.
/// </summary>
internal sealed class ReportParameters
{
    private readonly List<Axis> _axes;

    private ReportParameters(List<Axis> axes) => _axes = axes;

    private sealed record Axis(string Name, IReadOnlyList<string>? Categories, bool Log)
    {
        public Dictionary<string, int>? CategoryIndex { get; } = Categories?.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The axes of <paramref name="definition"/>'s space, with any value <paramref name="trials"/> hold that the definition does not list.</summary>
    public static ReportParameters Of(StudyDefinition definition, IReadOnlyList<Trial> trials)
    {
        var axes = new List<Axis>();
        foreach (var name in definition.Space.Names)
        {
            var parameter = definition.Space.Parameters.FirstOrDefault(p => p.Name == name);
            var conditional = definition.Space.Conditionals.FirstOrDefault(c => c.Name == name);
            IReadOnlyList<string>? listed = parameter?.Type == ParameterType.Categorical ? parameter.CategoricalValues : conditional?.Values;
            var categorical = listed is not null || trials.Any(t => t.Assignment.TryGetValue(name, out var v) && !v.IsNumber);
            var categories = categorical
                ? (listed ?? []).Concat(trials.Select(t => t.Assignment.TryGetValue(name, out var v) ? v.ToString() : null).OfType<string>()).Distinct(StringComparer.Ordinal).ToList()
                : null;
            axes.Add(new Axis(name, categories, parameter?.Transformation == Transformation.Log));
        }

        return new ReportParameters(axes);
    }

    /// <summary>Writes <c>parameters</c>: each axis's name, categories (or null) and whether it is logarithmic.</summary>
    public static void WriteDefinitions(Utf8JsonWriter w, ReportParameters parameters)
    {
        w.WriteStartArray("parameters");
        foreach (var axis in parameters._axes)
        {
            w.WriteStartObject();
            w.WriteString("name", axis.Name);
            if (axis.Categories is null)
            {
                w.WriteNull("categories");
            }
            else
            {
                w.WriteStartArray("categories");
                foreach (var category in axis.Categories)
                {
                    w.WriteStringValue(category);
                }

                w.WriteEndArray();
            }

            w.WriteBoolean("log", axis.Log);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Writes <c>params</c>: per axis, each trial's value (a category's index), null where the parameter is inactive.</summary>
    public void WriteColumns(Utf8JsonWriter w, IReadOnlyList<Trial> trials)
    {
        w.WriteStartArray("params");
        foreach (var axis in _axes)
        {
            ReportData.WriteColumn(w, null, trials, t =>
            {
                if (!t.Assignment.TryGetValue(axis.Name, out var value))
                {
                    w.WriteNullValue();
                }
                else if (axis.CategoryIndex is { } categories)
                {
                    w.WriteNumberValue(categories[value.ToString()]);
                }
                else
                {
                    w.WriteNumberValue(value.Number);
                }
            });
        }

        w.WriteEndArray();
    }
}
