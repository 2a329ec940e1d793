using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Search.Tests.Evolution;

/// <summary>Evolution in real in-process runs: several workers, a checkpoint resumed, a conditional space.</summary>
public sealed class EvolutionRunTests
{
    private static double Sphere(Assignment a) => Enumerable.Range(1, 3).Sum(i => Math.Pow(a.GetDouble($"x{i}") - 1.0, 2));

    private static StudyDefinition SphereStudy(long seed, int budget) => StudyDefinitionJson.Parse($$$"""
        {"name": "sphere", "parameters": [
            {"name": "x1", "type": "double", "bounds": {"min": -5, "max": 5}},
            {"name": "x2", "type": "double", "bounds": {"min": -5, "max": 5}},
            {"name": "x3", "type": "double", "bounds": {"min": -5, "max": 5}}],
         "metrics": [{"name": "loss", "objective": "minimize"}], "observation_budget": {{{budget}}}, "parallel_bandwidth": 4,
         "algorithm": {"name": "evolution", "seed": {{{seed}}}, "population_size": 20}}
        """);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Four_workers_improve_well_beyond_the_initial_population(long seed)
    {
        SearchAlgorithms.Register();
        var tuner = new Tuner(SphereStudy(seed, 150));
        var summary = await tuner.OptimizeAsync(Objective.FromFunction("loss", Sphere), workers: 4, TestContext.Current.CancellationToken);

        var trials = tuner.Trials;
        Assert.Equal(150, summary.Progress.Completed);
        Assert.Equal(150, trials.Select(t => t.Assignment).Distinct().Count());
        var initial = trials.Take(20).Select(t => t.Values!["loss"]).ToArray();
        var late = trials.Skip(110).Select(t => t.Values!["loss"]).ToArray();
        // The best of the quasi-random population is some distance off (the sphere's minimum is 0 at (1, 1, 1));
        // after 130 children the best is far closer and a typical late child beats the typical first member.
        Assert.True(summary.Best!.Values!["loss"] < initial.Min() / 4, $"best {summary.Best.Values["loss"]}, initial best {initial.Min()}");
        Assert.True(Median(late) < Median(initial) / 4, $"late median {Median(late)}, initial median {Median(initial)}");
    }

    [Fact]
    public void A_resumed_checkpoint_suggests_what_the_uninterrupted_study_did()
    {
        SearchAlgorithms.Register();
        var study = SphereStudy(seed: 21, budget: 60);
        using var straightDir = new TempDirectory();
        using var resumedDir = new TempDirectory();
        List<Assignment> straight;
        using (var checkpoint = Checkpoint.Create(straightDir.Path, study))
        {
            straight = Drive(checkpoint.CreateTuner(), 60);
        }

        List<Assignment> resumed;
        using (var checkpoint = Checkpoint.Create(resumedDir.Path, study))
        {
            resumed = Drive(checkpoint.CreateTuner(), 35); // past the initial population
        }

        using (var checkpoint = Checkpoint.Open(resumedDir.Path))
        {
            resumed.AddRange(Drive(checkpoint.CreateTuner(), 25));
        }

        Assert.Equal(straight, resumed);
    }

    [Fact]
    public async Task Every_suggestion_in_a_conditional_space_is_valid_and_every_branch_is_explored()
    {
        SearchAlgorithms.Register();
        var (parameters, conditionals) = EvolutionFixtures.RichSpace();
        var study = EvolutionFixtures.EvolutionStudy(population: 12, seed: 3, parameters: parameters, conditionals: conditionals, budget: 120);
        var tuner = new Tuner(study);
        var summary = await tuner.OptimizeAsync(Objective.FromFunction("loss", a =>
        {
            // Inactive parameters are absent, active ones present, whatever the branch.
            Assert.Equal(study.Space.CreateAssignment(a), a);
            Assert.All(parameters, p => Assert.Equal(p.IsActive(a), a.ContainsKey(p.Name)));
            var branch = a.GetString("model") switch { "tree" => a.GetInt("depth") / 30.0, _ => Math.Abs(Math.Log(a.GetDouble("width"))) };
            return branch + Math.Abs(a.GetDouble("x") - 1) + (a.GetString("act") == "gelu" ? 0 : 1);
        }), workers: 4, TestContext.Current.CancellationToken);

        Assert.Equal(120, summary.Progress.Completed);
        var children = tuner.Trials.Skip(12).Select(t => t.Assignment).ToList();
        Assert.Equal(["net", "tree", "wide"], children.Select(a => a.GetString("model")).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(120, tuner.Trials.Select(t => t.Assignment).Distinct().Count());
    }

    /// <summary>Suggests and observes <paramref name="count"/> trials one at a time.</summary>
    private static List<Assignment> Drive(Tuner tuner, int count)
    {
        var made = new List<Assignment>();
        for (var i = 0; i < count; i++)
        {
            var trial = tuner.Suggest("w").Trial!;
            tuner.Observe(trial.Id, Sphere(trial.Assignment));
            made.Add(trial.Assignment);
        }

        return made;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("hpctune-evolution-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
