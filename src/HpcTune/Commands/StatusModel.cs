using System.Globalization;
using System.Text.Json;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Commands;

/// <summary>What <c>status</c> shows of the second edition's model: pruned trials, the Pareto front, intermediate reports.</summary>
internal static class StatusModel
{
    /// <summary>Text lines; none for a study that uses none of it, so a first-edition study's status reads as before.</summary>
    public static IEnumerable<string> Lines(StudyState state)
    {
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
                yield return $"    open trial {open.Id} ({open.Worker}): last step {open.Reports[^1].Step}";
            }
        }
    }

    /// <summary>The JSON members: <c>pruned</c>, <c>pareto_front</c> (trial ids), <c>reports</c> (count) and <c>open_trials</c> (id, worker, reports, last step).</summary>
    public static void Write(Utf8JsonWriter w, StudyState state)
    {
        w.WriteNumber("pruned", state.PrunedCount);
        w.WriteStartArray("pareto_front");
        foreach (var trial in state.ParetoFront)
        {
            w.WriteNumberValue(trial.Id);
        }

        w.WriteEndArray();
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
            }
            else
            {
                w.WriteNull("last_step");
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
