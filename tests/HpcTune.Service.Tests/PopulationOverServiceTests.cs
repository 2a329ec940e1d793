using System.Collections.Concurrent;
using System.Globalization;
using HpcTune.Cli.Tests;
using HpcTune.Client;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Trials;

namespace HpcTune.Service.Tests;

/// <summary>
/// Population based training over the network service: suggestions carry each trial's lineage and the absolute
/// checkpoint directories (the worker shares the server's file system), a network worker prepares them as a local
/// one does, and status shows the generations.
/// </summary>
public sealed class PopulationOverServiceTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose() => _w.Dispose();

    private string Study() => _w.Write("study.json", """
        {
          "name": "population-test",
          "parameters": [
            {"name": "x1", "type": "double", "bounds": {"min": -5, "max": 10}},
            {"name": "x2", "type": "double", "bounds": {"min": 0, "max": 15}}
          ],
          "metrics": [{"name": "value", "objective": "minimize"}],
          "observation_budget": 6,
          "parallel_bandwidth": 2,
          "algorithm": {"name": "pbt", "seed": 3, "population_size": 2, "steps_per_generation": 2, "generations": 3}
        }
        """);

    [Fact]
    public async Task A_network_worker_gets_lineage_and_continues_from_its_parent_s_checkpoint()
    {
        await using var server = await ServedStudy.StartAsync(_w, Study());
        using var client = await ExperimentClient.ConnectAsync(server.Options(_w, "member"), Token);
        var objective = new CheckpointingObjective();

        Assert.Equal(6, await client.WorkOnAsync(objective, cancellationToken: Token));

        var checkpoint = Path.GetFullPath(_w.Checkpoint);
        var seen = objective.Seen.OrderBy(s => s.Id).ToList();
        Assert.Equal(6, seen.Count);
        foreach (var trial in seen)
        {
            var lineage = trial.Lineage!;
            Assert.Equal(Path.GetFullPath(lineage.CheckpointDirectory!, checkpoint), trial.Directory);
            Assert.True(Path.IsPathRooted(trial.Directory));
            Assert.Equal((lineage.Generation * 2L, (lineage.Generation + 1) * 2L), (lineage.StartStep, lineage.EndStep));
            if (lineage.Generation == 0)
            {
                Assert.Null(lineage.ParentTrialId);
                Assert.Null(trial.ParentDirectory);
                Assert.Null(trial.FoundAtStart); // an empty directory: nothing to continue from
            }
            else
            {
                var parent = seen.Single(s => s.Id == lineage.ParentTrialId);
                Assert.Equal(lineage.Generation - 1, parent.Lineage!.Generation);
                Assert.Equal(parent.Directory, trial.ParentDirectory);
                Assert.Equal(parent.Id.ToString(CultureInfo.InvariantCulture), trial.FoundAtStart); // the parent's file, copied in
            }
        }

        Assert.Equal([(0, 2), (1, 2), (2, 2)], seen.GroupBy(s => s.Lineage!.Generation!.Value).Select(g => (g.Key, g.Count())).Order());
        var remote = await client.GetTrialAsync(seen[^1].Id, Token);
        Assert.Equal(seen[^1].Lineage, remote.Lineage);
        Assert.Equal(seen[^1].Directory, remote.CheckpointDirectory);

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.Contains("population of 2 members, generations 3 of 3 begun, 3 complete", status.Stdout, StringComparison.Ordinal);
        var listed = await server.RunCliAsync(_w, "trials", "--json");
        using (var json = System.Text.Json.JsonDocument.Parse(listed.Stdout))
        {
            Assert.Equal(seen.Select(s => (s.Lineage!.Member, s.Lineage.Generation, s.Lineage.ParentTrialId)), json.RootElement.EnumerateArray().Select(t => t.GetProperty("lineage")).Select(l =>
                ((int?)l.GetProperty("member").GetInt32(), (int?)l.GetProperty("generation").GetInt32(), l.GetProperty("parent").ValueKind == System.Text.Json.JsonValueKind.Null ? null : (long?)l.GetProperty("parent").GetInt64())));
        }

        await server.KillAsync();
        var journaled = Checkpoint.Read(_w.Checkpoint).State.Trials;
        Assert.Equal(seen.Select(s => s.Lineage), journaled.Select(t => t.Lineage));
    }

    private sealed record SeenTrial(long Id, TrialLineage? Lineage, string Directory, string? ParentDirectory, string? FoundAtStart);

    /// <summary>Reads what its checkpoint directory holds at the start, then writes its trial id there and reports its end step.</summary>
    private sealed class CheckpointingObjective : IObjective
    {
        public ConcurrentBag<SeenTrial> Seen { get; } = [];

        public async ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken)
        {
            var directory = trial.CheckpointDirectory!;
            var file = Path.Combine(directory, "weights");
            Seen.Add(new SeenTrial(trial.TrialId, trial.Lineage, directory, trial.ParentCheckpointDirectory, File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : null));
            await File.WriteAllTextAsync(file, trial.TrialId.ToString(CultureInfo.InvariantCulture), cancellationToken);
            var value = trial.Assignment.GetDouble("x1") + trial.Assignment.GetDouble("x2");
            await trial.ReportAsync(trial.Lineage!.EndStep!.Value, new Dictionary<string, double> { ["value"] = value }, cancellationToken);
            return ObjectiveResult.Success("value", value);
        }
    }
}
