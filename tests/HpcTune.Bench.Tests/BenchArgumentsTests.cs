using HpcTune.Gp.Sampling;

namespace HpcTune.Bench.Tests;

/// <summary>A benchmark command refuses a bad argument before its runs, which can take hours, with a message that names it.</summary>
public sealed class BenchArgumentsTests
{
    [Theory]
    [InlineData(new[] { "--seed", "3" }, "unknown option --seed")]
    [InlineData(new[] { "--seeds" }, "--seeds needs a value")]
    [InlineData(new[] { "seeds", "3" }, "expected --name value, got 'seeds'")]
    public void An_option_is_known_and_has_a_value(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => BenchArguments.Parse(args, QualityBenchmark.Options));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_are_parsed_and_kept_in_range()
    {
        var arguments = BenchArguments.Parse(["--seeds", "12", "--open", "1, 8", "--noise", "0.5"], QualityBenchmark.Options);
        Assert.Equal(12, arguments.Int("seeds", 10, min: 1));
        Assert.Equal([1, 8], arguments.Ints("open", "1", min: 1));
        Assert.Equal(0.5, arguments.Double("noise", 0));
        Assert.Equal(200, arguments.Int("budget", 200, min: 1)); // not given: the default

        var bad = BenchArguments.Parse(["--seeds", "0", "--open", "1,x", "--noise", "NaN", "--at", ","], QualityBenchmark.Options);
        Assert.Contains("--seeds: expected at least 1, got 0", Assert.Throws<ArgumentException>(() => bad.Int("seeds", 10, min: 1)).Message, StringComparison.Ordinal);
        Assert.Contains("--open: expected an integer, got 'x'", Assert.Throws<ArgumentException>(() => bad.Ints("open", "1", min: 1)).Message, StringComparison.Ordinal);
        Assert.Contains("--noise: expected a number, got 'NaN'", Assert.Throws<ArgumentException>(() => bad.Double("noise", 0)).Message, StringComparison.Ordinal);
        Assert.Contains("--at: expected at least one integer", Assert.Throws<ArgumentException>(() => bad.Ints("at", "50", min: 1)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--budget", "50", "--at", "20,100" }, "--at 100 lies beyond --budget 50")]
    [InlineData(new[] { "--budget", "20" }, "no --at checkpoint lies within --budget 20")]
    [InlineData(new[] { "--open", "0" }, "--open: expected at least 1, got 0")]
    [InlineData(new[] { "--noise", "-1" }, "--noise: expected a standard deviation of at least 0, got -1")]
    [InlineData(new[] { "--functions", "branin,nope" }, "unknown built-in objective 'nope'")]
    [InlineData(new[] { "--algorithms", "gp,foo" }, "--algorithms foo: algorithm.name: unknown algorithm 'foo'")]
    [InlineData(new[] { "--algorithms", "gp:foo" }, "--algorithms gp:foo: algorithm.acquisition: unknown acquisition 'foo'")]
    [InlineData(new[] { "--algorithms", "evolution:population_size=8:sample_size=9" }, "--algorithms evolution:population_size=8:sample_size=9: algorithm.sample_size: the tournament draws")]
    [InlineData(new[] { "--algorithms", "evolution:population_size=many" }, "--algorithms evolution:population_size=many: algorithm.population_size:")]
    [InlineData(new[] { "--at", "50,100", "--open", "8", "--speedup", "50" }, "--open needs 1 and a larger count")]
    [InlineData(new[] { "--algorithms", "gp,gp-local-0" }, "'gp-local-0': expected gp-local-N or gp-local-N-near with N the threshold of the local model")]
    [InlineData(new[] { "--algorithms", "gp,gp-fantasies-x" }, "'gp-fantasies-x': expected gp-fantasies-N with N the open trials fantasized")]
    public async Task Quality_refuses_a_bad_argument_before_any_run(string[] args, string message)
    {
        GpSampler.Register(); // as the bench's Main does
        HpcTune.Search.SearchAlgorithms.Register();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => QualityBenchmark.RunAsync(BenchArguments.Parse(args, QualityBenchmark.Options)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gp_scale_refuses_an_unknown_model_before_any_run()
    {
        var error = Assert.Throws<ArgumentException>(() => GpScaleBenchmark.Run(BenchArguments.Parse(["--models", "full,fast"], GpScaleBenchmark.Options)));
        Assert.Contains("--models: unknown model 'fast'; expected full or local", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--study", "pareto" }, "--study: unknown study 'pareto'; expected plain or constrained or multi")]
    [InlineData(new[] { "--study", "constrained", "--dimension", "2" }, "--study constrained needs --dimension 3 or more")]
    public void Gp_scale_refuses_a_bad_study_before_any_run(string[] args, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => GpScaleBenchmark.Run(BenchArguments.Parse(args, GpScaleBenchmark.Options)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scaled_down_local_model_keeps_the_defaults_ratio_and_near_drops_the_far_sample()
    {
        var defaults = new HpcTune.Gp.Sampling.GpOptions();
        var scaled = QualityBenchmark.LocalModelOptions(defaults, QualityBenchmark.LocalModelThreshold("gp-local-100")!.Value, nearestOnly: false);
        Assert.Equal(100, scaled.LocalModelThreshold);
        Assert.Equal(100 * defaults.LocalModelSize / defaults.LocalModelThreshold, scaled.LocalModelSize);
        Assert.Equal(defaults.LocalModelFarShare, scaled.LocalModelFarShare);
        Assert.Equal(0, QualityBenchmark.LocalModelOptions(defaults, QualityBenchmark.LocalModelThreshold("gp-local-100-near")!.Value, nearestOnly: true).LocalModelFarShare);
    }
}
