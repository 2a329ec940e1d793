using System.Text.Json;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Commands;

/// <summary>
/// A population's progress (population based training): per generation, how many members' segments are done,
/// running, waiting to run again and failed. Read from the trials' lineage, so any algorithm that places trials in
/// generations is shown alike.
/// </summary>
internal sealed record PopulationProgress(int? PopulationSize, int? Generations, IReadOnlyList<GenerationProgress> ByGeneration)
{
    /// <summary>The population's progress, or null when no trial has a generation.</summary>
    public static PopulationProgress? Of(StudyState state)
    {
        var placed = state.Trials.Where(t => t.Lineage?.Generation is not null).ToList();
        if (placed.Count == 0)
        {
            return null;
        }

        var generations = placed
            .GroupBy(t => t.Lineage!.Generation!.Value)
            .OrderBy(g => g.Key)
            .Select(g => new GenerationProgress(
                g.Key,
                g.Count(t => t.State == TrialState.Completed),
                g.Count(t => t.State == TrialState.Open),
                g.Count(t => t.State == TrialState.Interrupted),
                g.Count(t => t.State is TrialState.Failed or TrialState.Pruned or TrialState.Deleted)))
            .ToList();
        var size = Option(state.Definition.Algorithm, "population_size") ?? placed.Select(t => t.Lineage!.Member).Where(m => m is not null).Distinct().Count();
        return new PopulationProgress(size > 0 ? size : null, Option(state.Definition.Algorithm, "generations"), generations);
    }

    /// <summary>Text lines: the population, then every generation not complete yet (complete ones are counted).</summary>
    public IEnumerable<string> Lines()
    {
        var size = PopulationSize is { } p ? $"{p} members" : "members";
        var complete = PopulationSize is { } members ? ByGeneration.Count(g => g.Done >= members) : 0;
        yield return $"  population of {size}, generations {(Generations is { } n ? $"{ByGeneration.Count} of {n} begun" : $"{ByGeneration.Count} begun")}, {complete} complete";
        foreach (var generation in ByGeneration.Where(g => PopulationSize is not { } members || g.Done < members))
        {
            yield return $"    generation {generation.Generation}: {generation.Done}{(PopulationSize is { } m ? $"/{m}" : "")} done, {generation.Open} running, {generation.Interrupted} to run again, {generation.Ended} failed or stopped";
        }
    }

    /// <summary>The JSON member <c>population</c>: size, generations, and per generation done, open, interrupted, ended.</summary>
    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject("population");
        WriteOptional(w, "population_size", PopulationSize);
        WriteOptional(w, "generations", Generations);
        w.WriteStartArray("by_generation");
        foreach (var generation in ByGeneration)
        {
            w.WriteStartObject();
            w.WriteNumber("generation", generation.Generation);
            w.WriteNumber("done", generation.Done);
            w.WriteNumber("open", generation.Open);
            w.WriteNumber("interrupted", generation.Interrupted);
            w.WriteNumber("failed_or_stopped", generation.Ended);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>A whole-number option of the algorithm (pbt's <c>population_size</c>, <c>generations</c>), when it has one; else the members seen count.</summary>
    private static int? Option(AlgorithmSpec algorithm, string name) =>
        algorithm.Options.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;
}

/// <summary>One generation of a population: members' segments completed, running, interrupted (they run again), and failed, pruned or deleted.</summary>
internal sealed record GenerationProgress(int Generation, int Done, int Open, int Interrupted, int Ended);
