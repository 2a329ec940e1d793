using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Tests;

/// <summary>The report's GP studies through the command line (issue 23, item 9).</summary>
public sealed class GpStudyTests : IDisposable
{
    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    /// <summary>Before: an IndexOutOfRangeException after the design, and the same on every resume.</summary>
    [Fact]
    public async Task A_gp_study_of_a_100000_value_categorical_runs_and_resumes()
    {
        var study = _w.Write("wide.json", JsonSerializer.Serialize(new
        {
            name = "wide",
            parameters = new[] { new { name = "c", type = "categorical", categorical_values = Enumerable.Range(0, 100_000).Select(i => $"v{i}").ToArray() } },
            metrics = new[] { new { name = "loss", objective = "minimize" } },
            observation_budget = 10,
            parallel_bandwidth = 2,
            algorithm = new { name = "gp", seed = 1 },
        }));
        var objective = _w.Write("mod.sh", "n=${1#v}; echo $((n % 97))\n");
        var run = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--workers", "2", "--command", "/bin/sh", objective, "{c}");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var resumed = await HpcTuneProcess.RunAsync("resume", "--checkpoint", _w.Checkpoint, "--budget", "14");
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(14, state.CompletedCount);
        Assert.Equal(14, state.Trials.Select(t => t.Assignment).Distinct().Count());
        Assert.DoesNotContain("sampler failed", run.Stderr + resumed.Stderr, StringComparison.Ordinal); // the GP's own suggestions, not the fallback
    }

    /// <summary>Before: the first failing point came back at every later suggestion until max_failures broke the study (exit 1).</summary>
    [Fact]
    public async Task A_gp_study_whose_objective_fails_in_a_corner_reaches_its_budget()
    {
        var study = _w.Write("corner.json", """
            {"name": "corner",
             "parameters": [{"name": "x", "type": "double", "bounds": {"min": 0, "max": 1}},
                            {"name": "y", "type": "double", "bounds": {"min": 0, "max": 1}}],
             "metrics": [{"name": "loss", "objective": "minimize"}],
             "observation_budget": 30, "parallel_bandwidth": 1, "max_failures": 5, "algorithm": {"name": "gp", "seed": 12}}
            """);
        var objective = _w.Write("corner.sh", """
            awk -v x="$1" -v y="$2" 'BEGIN { if (x > 0.8 && y > 0.8) exit 1; print (x - 0.7) ^ 2 + (y - 0.7) ^ 2 }'

            """);
        var run = await HpcTuneProcess.RunAsync("run", "--study", study, "--checkpoint", _w.Checkpoint, "--command", "/bin/sh", objective, "{x}", "{y}");
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        var state = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(30, state.CompletedCount);
        var failed = state.Trials.Where(t => t.State == TrialState.Failed).Select(t => t.Assignment).ToList();
        Assert.Equal(failed.Count, failed.Distinct().Count());
    }
}
