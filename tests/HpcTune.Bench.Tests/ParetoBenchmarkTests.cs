namespace HpcTune.Bench.Tests;

public sealed class ParetoBenchmarkTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pareto-bench-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void The_shared_problems_match_their_definitions_at_known_points()
    {
        Assert.Equal([0, 1], ParetoProblems.Get("zdt1").Evaluate([0, 0, 0, 0, 0, 0]));
        Assert.Equal(10 - Math.Sqrt(10), ParetoProblems.Get("zdt1").Evaluate([1, 1, 1, 1, 1, 1])[1], 12); // g = 10, f2 = 10 (1 − √(1/10))
        var dtlz2 = ParetoProblems.Get("dtlz2").Evaluate([1, 0.5, 0.5, 0.5, 0.5, 0.5]);
        Assert.Equal(0, dtlz2[0], 12);
        Assert.Equal(1, dtlz2[1], 12);
        // Branin's minimum 0.397887 at (π, 2.275); Currin is 1 × 60/20 = 3 at x = (0, 0) where exp(−1/0) = 0.
        Assert.Equal(0.397887, ParetoProblems.Get("branin-currin").Evaluate([(Math.PI + 5) / 15, 2.275 / 15])[0], 5);
        Assert.Equal(3, ParetoProblems.Get("branin-currin").Evaluate([0, 0])[1], 12);
        // CONSTR at u = (1, 0): x = (1, 0), f = (1, 1), both constraints met; at u = (0, 0) x2 + 9 x1 = 0.9 < 6.
        var constrEx = ParetoProblems.Get("constr-ex");
        Assert.Equal([1, 1], constrEx.Evaluate([1, 0]));
        Assert.All(constrEx.Constraints!([1, 0]), c => Assert.True(c <= 0));
        Assert.Equal(5.1, constrEx.Constraints!([0, 0])[0], 12);
        Assert.Throws<ArgumentException>(() => ParetoProblems.Get("zdt2"));
    }

    [Fact]
    public void A_small_run_writes_a_hypervolume_per_seed_and_checkpoint()
    {
        var csv = Path.Combine(_directory.FullName, "pareto.csv");
        ParetoBenchmark.Run(BenchArguments.Parse(["--problems", "branin-currin", "--algorithms", "random,sobol", "--seeds", "3", "--open", "1,2", "--at", "5,10", "--csv", csv], ParetoBenchmark.Options));
        var lines = File.ReadAllLines(csv);
        Assert.Equal("problem,open,algorithm,seed,evaluations,hypervolume", lines[0]);
        Assert.Equal(1 + (2 * 2 * 3 * 2), lines.Length);
        Assert.All(lines.Skip(1), l => Assert.InRange(double.Parse(l.Split(',')[5], System.Globalization.CultureInfo.InvariantCulture), 0, 18 * 6));
    }

    [Fact]
    public void An_unknown_multi_objective_acquisition_is_refused_before_any_run()
    {
        HpcTune.Gp.Sampling.GpSampler.Register(); // as the bench's Main does
        var error = Assert.Throws<ArgumentException>(() => ParetoBenchmark.Run(BenchArguments.Parse(["--algorithms", "gp:nsga2"], ParetoBenchmark.Options)));
        Assert.Contains("--algorithms gp:nsga2: algorithm.multi_objective", error.Message, StringComparison.Ordinal);
    }
}
