using CsCheck;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Tests.Space;

public class SpaceMappingProperties
{
    private static readonly Gen<ParameterDefinition> DoubleParameter =
        from log in Gen.Bool
        from min in log ? Gen.Double[1e-6, 1e3] : Gen.Double[-1e3, 1e3]
        from width in log ? Gen.Double[0.01, 20].Select(w => min * (Math.Exp(w) - 1)) : Gen.Double[1e-3, 1e3]
        from stepped in Gen.Bool
        from stepFraction in Gen.Double[1e-3, 1.0]
        select ParameterDefinition.Double("x", min, min + width, log ? Transformation.Log : Transformation.None,
            stepped ? width * stepFraction : null);

    private static readonly Gen<ParameterDefinition> IntParameter =
        from log in Gen.Bool
        from min in log ? Gen.Long[1, 1000] : Gen.Long[-1000, 1000]
        from width in Gen.Long[1, 10000]
        from stepped in Gen.Bool
        from step in Gen.Long[1, 10000]
        select ParameterDefinition.Int("k", min, min + width, log ? Transformation.Log : Transformation.None,
            stepped ? Math.Min(step, width) : null);

    private static readonly Gen<ParameterDefinition> CategoricalParameter =
        Gen.Int[1, 12].Select(n => ParameterDefinition.Categorical("c", Enumerable.Range(0, n).Select(i => $"v{i}")));

    private static readonly Gen<ParameterDefinition> AnyParameter = Gen.OneOf(DoubleParameter, IntParameter, CategoricalParameter);

    private static readonly Gen<(ParameterDefinition Parameter, double U)> Case =
        from parameter in AnyParameter
        from u in Gen.OneOf(Gen.Double[0.0, 1.0], Gen.Int[0, 3].Select(i => new[] { 0.0, 1.0, 0.5, 1 - 1e-16 }[i]))
        select (parameter, u);

    private static Scalar Decode(ParameterDefinition p, double u) => new SearchSpace([p]).Decode([u])[p.Name];

    private static double Encode(ParameterDefinition p, Scalar v) => new SearchSpace([p]).Encode(new Assignment([p.Name], [v]))[0];

    [Fact]
    public void Decoded_values_lie_in_their_domain()
    {
        Case.Sample(c =>
        {
            var (p, u) = c;
            var value = Decode(p, u);
            switch (p.Type)
            {
                case ParameterType.Categorical:
                    Assert.Contains(value.Text, p.CategoricalValues);
                    break;
                default:
                    Assert.InRange(value.Number, p.Min, p.Max);
                    if (p.Type == ParameterType.Int)
                    {
                        Assert.Equal(Math.Floor(value.Number), value.Number);
                    }

                    if (p.Step is { } step)
                    {
                        var k = (value.Number - p.Min) / step;
                        Assert.True(Math.Abs(k - Math.Round(k)) < 1e-6, $"{value} is not min + k*step for {p}");
                    }

                    break;
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Encode_of_decode_is_stable()
    {
        Case.Sample(c =>
        {
            var (p, u) = c;
            var value = Decode(p, u);
            var encoded = Encode(p, value);
            Assert.InRange(encoded, 0.0, 1.0);
            if (p.Type == ParameterType.Double && p.Step is null)
            {
                // Continuous values come back to within rounding; everything quantized comes back exactly.
                var again = Decode(p, encoded).Number;
                Assert.True(Math.Abs(again - value.Number) <= 1e-12 * Math.Max(1, Math.Abs(value.Number)), $"{p}: {value} became {again}");
                Assert.True(Math.Abs(encoded - u) < 1e-9, $"{p}: encode(decode({u})) = {encoded}");
            }
            else
            {
                Assert.Equal(value, Decode(p, encoded));
                Assert.Equal(encoded, Encode(p, Decode(p, encoded)));
            }
        }, iter: 20_000);
    }

    [Fact]
    public void Every_grid_point_and_category_is_reachable()
    {
        var p = ParameterDefinition.Double("q", 0, 1, step: 0.25);
        var values = Enumerable.Range(0, 1000).Select(i => Decode(p, (i + 0.5) / 1000).Number).Distinct().Order().ToArray();
        Assert.Equal([0, 0.25, 0.5, 0.75, 1.0], values);

        var c = ParameterDefinition.Categorical("c", "a", "b", "c");
        Assert.Equal(["a", "b", "c"], Enumerable.Range(0, 300).Select(i => Decode(c, (i + 0.5) / 300).Text).Distinct());
    }

    [Fact]
    public void Int_bins_are_equally_wide()
    {
        var p = ParameterDefinition.Int("n", 1, 4);
        var counts = Enumerable.Range(0, 4000).GroupBy(i => Decode(p, (i + 0.5) / 4000).Number).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(counts.Values, count => Assert.Equal(1000, count));
    }

    [Fact]
    public void Log_layout_is_uniform_in_the_logarithm()
    {
        var p = ParameterDefinition.Double("lr", 1e-4, 1, Transformation.Log);
        Assert.Equal(1e-2, Decode(p, 0.5).Number, 1e-12);
        Assert.Equal(0.25, Encode(p, 1e-3), 1e-12);
    }

    [Fact]
    public void Encoding_rejects_values_outside_the_domain_naming_the_parameter()
    {
        var space = new SearchSpace([ParameterDefinition.Int("layers", 1, 8), ParameterDefinition.Categorical("act", "relu", "tanh")]);
        var e = Assert.Throws<ArgumentException>(() => space.CreateAssignment(new Dictionary<string, Scalar> { ["layers"] = 9, ["act"] = "relu" }));
        Assert.Contains("layers", e.Message);
        Assert.Contains("outside", e.Message);
        e = Assert.Throws<ArgumentException>(() => space.CreateAssignment(new Dictionary<string, Scalar> { ["layers"] = 2.5, ["act"] = "relu" }));
        Assert.Contains("grid", e.Message);
        e = Assert.Throws<ArgumentException>(() => space.CreateAssignment(new Dictionary<string, Scalar> { ["layers"] = 2, ["act"] = "gelu" }));
        Assert.Contains("'gelu' is not one of", e.Message);
        e = Assert.Throws<ArgumentException>(() => space.CreateAssignment(new Dictionary<string, Scalar> { ["layers"] = 2 }));
        Assert.Contains("act", e.Message);
    }
}
