using System.Globalization;
using System.Text.Json;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Commands;

/// <summary>
/// What <c>status</c> shows of the second edition's model: the early stopping rule, pruned trials, the Pareto front,
/// intermediate reports (each open trial's last), and a population's progress per generation.
/// </summary>
internal static class StatusModel
{
    /// <summary>Text lines; none for a study that uses none of it, so a first-edition study's status reads as before.</summary>
    public static IEnumerable<string> Lines(StudyState state)
    {
        if (state.Definition.EarlyStopping is { } rule)
        {
            yield return $"  early stopping {RuleText(rule)}";
        }

        if (state.PrunedCount > 0)
        {
            yield return $"  pruned {state.PrunedCount} (they count toward the budget)";
        }

        if (state.Definition.IsMultiObjective)
        {
            var metrics = string.Join(", ", state.Definition.Objectives.Select(m => $"{m.Name} ({(m.Objective == Study.MetricObjective.Maximize ? "max" : "min")})"));
            yield return state.ParetoFront.Count == 0
                ? $"  pareto front: no feasible completed trial yet ({metrics})"
                : $"  pareto front of {metrics}: {state.ParetoFront.Count} trial(s)";
            if (Hypervolume.OfFront(state) is var (volume, reference))
            {
                var point = string.Join(", ", state.Definition.Objectives.Select((m, i) => $"{m.Name} = {reference[i].ToString("G6", CultureInfo.InvariantCulture)}"));
                yield return $"  hypervolume {volume.ToString("G6", CultureInfo.InvariantCulture)} (reference point {point}: the worst completed values + 10 % of their range)";
            }

            foreach (var trial in state.ParetoFront)
            {
                yield return $"    trial {trial.Id}: {string.Join(", ", state.Definition.Objectives.Select(m => $"{m.Name} = {trial.Values![m.Name].ToString("G10", CultureInfo.InvariantCulture)}"))} ({trial.Assignment})";
            }
        }

        var reports = state.Trials.Sum(t => t.Reports.Count);
        if (reports > 0)
        {
            yield return $"  reports {reports} from {state.Trials.Count(t => t.Reports.Count > 0)} trial(s)";
            foreach (var open in state.Trials.Where(t => t.State == TrialState.Open && t.Reports.Count > 0))
            {
                var last = open.Reports[^1];
                yield return $"    open trial {open.Id} ({open.Worker}): last step {last.Step}: {string.Join(", ", last.Values.Select(p => $"{p.Key} = {p.Value.ToString("G10", CultureInfo.InvariantCulture)}"))}";
            }
        }

        if (PopulationProgress.Of(state) is { } population)
        {
            foreach (var line in population.Lines())
            {
                yield return line;
            }
        }
    }

    /// <summary>
    /// <c>hypervolume</c>: null for one objective or an empty front, else <c>value</c> and <c>reference_point</c> (metric
    /// name to value, in the metrics' units).
    /// </summary>
    private static void WriteHypervolume(Utf8JsonWriter w, StudyState state)
    {
        if (Hypervolume.OfFront(state) is not var (volume, reference))
        {
            w.WriteNull("hypervolume");
            return;
        }

        w.WriteStartObject("hypervolume");
        w.WriteNumber("value", volume);
        w.WriteStartObject("reference_point");
        for (var i = 0; i < reference.Length; i++)
        {
            w.WriteNumber(state.Definition.Objectives[i].Name, reference[i]);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The rule as the study names it, with its options: <c>asha (min_steps 1, reduction_factor 3)</c>.</summary>
    private static string RuleText(Study.EarlyStoppingSpec rule) =>
        rule.Options.Count == 0 ? rule.Name : $"{rule.Name} ({string.Join(", ", rule.Options.Select(p => $"{p.Key} {p.Value.GetRawText()}"))})";

    /// <summary>
    /// The JSON members: <c>early_stopping</c> (the study's rule as JSON, or null), <c>pruned</c>, <c>pareto_front</c>
    /// (trial ids), <c>hypervolume</c> (its value and reference point, or null), <c>reports</c> (count), <c>open_trials</c> (id, worker, reports, last step, last values) and
    /// <c>population</c> (per generation, or null).
    /// </summary>
    public static void Write(Utf8JsonWriter w, StudyState state)
    {
        if (state.Definition.EarlyStopping is { } rule)
        {
            w.WriteStartObject("early_stopping");
            w.WriteString("name", rule.Name);
            foreach (var (name, value) in rule.Options)
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("early_stopping");
        }

        w.WriteNumber("pruned", state.PrunedCount);
        w.WriteStartArray("pareto_front");
        foreach (var trial in state.ParetoFront)
        {
            w.WriteNumberValue(trial.Id);
        }

        w.WriteEndArray();
        WriteHypervolume(w, state);
        w.WriteNumber("reports", state.Trials.Sum(t => t.Reports.Count));
        w.WriteStartArray("open_trials");
        foreach (var open in state.Trials.Where(t => t.State == TrialState.Open))
        {
            w.WriteStartObject();
            w.WriteNumber("id", open.Id);
            w.WriteString("worker", open.Worker);
            w.WriteNumber("reports", open.Reports.Count);
            if (open.Reports.Count > 0)
            {
                w.WriteNumber("last_step", open.Reports[^1].Step);
                w.WriteStartObject("last_values");
                foreach (var (name, value) in open.Reports[^1].Values)
                {
                    w.WriteNumber(name, value);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("last_step");
                w.WriteNull("last_values");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (PopulationProgress.Of(state) is { } population)
        {
            population.Write(w);
        }
        else
        {
            w.WriteNull("population");
        }
    }
}
