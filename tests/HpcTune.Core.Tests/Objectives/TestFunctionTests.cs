using HpcTune.Objectives;
using HpcTune.Sampling;

namespace HpcTune.Tests.Objectives;

public class TestFunctionTests
{
    public static TheoryData<string> Names => new() { "branin", "branin10", "hartmann6", "ackley", "ackley3", "rosenbrock", "rosenbrock7", "levy", "levy3", "rastrigin", "rastrigin2", "styblinskitang", "styblinskitang4" };

    [Theory]
    [MemberData(nameof(Names))]
    public void The_known_minimizer_reaches_the_known_minimum(string name)
    {
        var f = TestFunctions.Get(name);
        Assert.Equal(f.Minimum, f.Evaluate([.. f.Minimizer]), 5);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void No_sampled_point_beats_the_known_minimum(string name)
    {
        var f = TestFunctions.Get(name);
        var sequence = new SobolSequence(f.Dimension, 1);
        var x = new double[f.Dimension];
        for (var n = 0; n < 2000; n++)
        {
            sequence.Point(n, x);
            for (var i = 0; i < x.Length; i++)
            {
                x[i] = f.LowerBound(i) + (x[i] * (f.UpperBound(i) - f.LowerBound(i)));
            }

            Assert.True(f.Evaluate(x) >= f.Minimum - 1e-9, $"{name}({string.Join(", ", x)}) = {f.Evaluate(x)} < {f.Minimum}");
        }
    }

    [Fact]
    public void Branin_has_its_three_global_minimizers()
    {
        var f = new Branin();
        Assert.Equal(f.Minimum, f.Evaluate([-Math.PI, 12.275]), 9);
        Assert.Equal(f.Minimum, f.Evaluate([9.42478, 2.475]), 5);
    }

    [Fact]
    public void Embedded_branin_ignores_every_input_after_the_second()
    {
        var f = TestFunctions.Get("branin10");
        double[] x = [1, 2, 0, 0, 0, 0, 0, 0, 0, 0];
        var y = (double[])x.Clone();
        Array.Fill(y, 0.9, 2, 8);
        Assert.Equal((10, "branin10"), (f.Dimension, f.Name));
        Assert.Equal(new Branin().Evaluate([1, 2]), f.Evaluate(x));
        Assert.Equal(f.Evaluate(x), f.Evaluate(y));
    }

    [Theory]
    [InlineData("sphere")]
    [InlineData("hartmann3")]
    [InlineData("rosenbrock1")]
    [InlineData("ackley0")]
    [InlineData("branin1")]
    public void Unknown_names_list_the_choices(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => TestFunctions.Get(name));
        Assert.Contains("branin, hartmann6", e.Message, StringComparison.Ordinal);
    }
}
