using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>A program registers a sampler of its own and names it in a JSON study (issue 24, item 2).</summary>
public sealed class RegisteredSamplerTests : IDisposable
{
    private readonly Workspace _w = new();

    static RegisteredSamplerTests() => AlgorithmRegistry.Default.Add(CornerProvider.Instance);

    public void Dispose() => _w.Dispose();

    private static string Study(string algorithm, int budget = 12) => $$$"""
        {"name": "own-sampler",
         "parameters": [{"name": "x", "type": "double", "bounds": {"min": -2, "max": 2}},
                        {"name": "n", "type": "int", "bounds": {"min": 0, "max": 100}}],
         "metrics": [{"name": "loss", "objective": "minimize"}],
         "observation_budget": {{{budget}}}, "parallel_bandwidth": 3,
         "algorithm": {{{algorithm}}} }
        """;

    [Fact]
    public async Task A_registered_sampler_runs_a_json_study_that_names_it_with_its_own_option()
    {
        var definition = StudyDefinitionJson.Parse(Study("""{"name": "corner", "seed": 5, "width": 0.125}"""));
        var summary = await new Tuner(definition).OptimizeAsync(Objective.FromFunction("loss", a => a.GetDouble("x") * a.GetDouble("x")), workers: 3, TestContext.Current.CancellationToken);

        Assert.Equal(12, summary.Progress.Completed);
        var again = await RunAsync(definition);
        var trials = again.Trials;
        // Every point lies in the lowest eighth of each range: the width option reached the sampler.
        Assert.All(trials, t => Assert.InRange(t.Assignment.GetDouble("x"), -2, -2 + (4 * 0.125)));
        Assert.All(trials, t => Assert.InRange(t.Assignment.GetInt("n"), 0, 13));
        // Drawn from the public seed derivation: the same study suggests the same points, trial by trial.
        Assert.Equal(trials.Select(t => t.Assignment), (await RunAsync(definition)).Trials.Select(t => t.Assignment));
    }

    [Fact]
    public void An_unregistered_name_is_refused_when_the_study_is_read()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study("""{"name": "regevo", "population": 20}""")));
        Assert.Equal("algorithm.name", e.Path);
        Assert.StartsWith("unknown algorithm 'regevo'; registered: random, sobol", e.Problem, StringComparison.Ordinal);
        Assert.Contains("corner", e.Problem, StringComparison.Ordinal);
        Assert.Contains("AlgorithmRegistry.Default.Add(provider)", e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name": "corner", "width": 2}""", "algorithm.width", "expected a number in (0, 1]")]
    [InlineData("""{"name": "corner", "width": "wide"}""", "algorithm.width", "expected a number")]
    [InlineData("""{"name": "corner", "height": 0.5}""", "algorithm.height", "the corner algorithm has no such option")]
    public void A_bad_option_is_refused_at_its_path(string algorithm, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Study(algorithm)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plain_command_line_reads_a_checkpoint_of_a_sampler_it_does_not_know_and_refuses_to_resume_it()
    {
        var definition = StudyDefinitionJson.Parse(Study("""{"name": "corner", "seed": 9, "width": 0.5}""", budget: 6));
        using (var checkpoint = Checkpoint.Create(_w.Checkpoint, definition))
        {
            var tuner = checkpoint.CreateTuner();
            for (var i = 0; i < 3; i++)
            {
                var trial = tuner.Suggest("w").Trial!;
                tuner.Observe(trial.Id, trial.Assignment.GetDouble("x"));
            }

            _ = tuner.Suggest("w"); // one left open
        }

        var status = await HpcTuneProcess.RunAsync("status", "--checkpoint", _w.Checkpoint);
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("completed 3/6", status.Stdout, StringComparison.Ordinal);
        var export = await HpcTuneProcess.RunAsync("export", "--checkpoint", _w.Checkpoint, "--format", "csv");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Equal(5, export.StdoutLines.Length);
        var open = await HpcTuneProcess.RunAsync("open", "--checkpoint", _w.Checkpoint);
        Assert.Equal("1 open suggestion", open.StdoutLines[0]);

        var resume = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--command", Workspace.Python, "-c", "print(1)");
        Assert.Equal(2, resume.ExitCode);
        Assert.Contains("algorithm.name: unknown algorithm 'corner'; registered: random, sobol, gp", resume.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, Checkpoint.Read(_w.Checkpoint).State.CompletedCount);
    }

    private static async Task<Tuner> RunAsync(StudyDefinition definition)
    {
        var tuner = new Tuner(definition);
        await tuner.OptimizeAsync(Objective.FromFunction("loss", a => a.GetDouble("x")), workers: 1, TestContext.Current.CancellationToken);
        return tuner;
    }

    /// <summary>Uniform points in the lowest <c>width</c> of every parameter's range, trial n drawn from Seeds.Derive(seed, n).</summary>
    private sealed class CornerSampler(double width) : ISampler
    {
        public string Name => "corner";

        public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation) =>
            snapshot.SuggestEach(count, s =>
            {
                var unit = new double[s.Space.Dimension];
                Seeds.FillUniform(Seeds.Derive(s.Seed, s.TrialsCreated), unit);
                for (var i = 0; i < unit.Length; i++)
                {
                    unit[i] *= width;
                }

                return s.Space.Decode(unit);
            });
    }

    private sealed class CornerProvider : IAlgorithmProvider
    {
        public static CornerProvider Instance { get; } = new();

        public string Name => "corner";

        public void Validate(StudyDefinition definition) => _ = Width(definition);

        public ISampler Create(StudyDefinition definition) => new CornerSampler(Width(definition));

        private static double Width(StudyDefinition definition)
        {
            var options = new AlgorithmOptionReader(definition.Algorithm);
            var width = options.Number("width") ?? 1.0;
            options.RejectUnknown();
            return width is > 0 and <= 1 ? width : throw new DefinitionException(AlgorithmOptionReader.PathOf("width"), $"expected a number in (0, 1], got {width}");
        }
    }
}
