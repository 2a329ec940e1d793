using HpcTune.Sampling;
using HpcTune.Search.Evolution;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Search.Tests.Evolution;

/// <summary>Properties of one mutation, checked over many seeds and parents.</summary>
public sealed class MutatorTests
{
    private static Assignment RandomPoint(SearchSpace space, long seed)
    {
        var unit = new double[space.Dimension];
        Seeds.FillUniform(Seeds.Derive(12345, seed), unit);
        return space.Decode(unit);
    }

    [Fact]
    public void A_child_differs_from_its_parent_in_exactly_one_active_dimension_and_is_valid_for_the_space()
    {
        var (parameters, conditionals) = EvolutionFixtures.RichSpace();
        var space = new SearchSpace(parameters, conditionals);
        var mutator = new Mutator(space, 0.1);
        var changed = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var seed = 0; seed < 3000; seed++)
        {
            var parent = RandomPoint(space, seed);
            var child = mutator.Mutate(parent, seed);

            Assert.Equal(child, space.CreateAssignment(child)); // the space's own checks: bounds, grid, categories, conditions
            var differing = child.Names.Where(parent.ContainsKey).Where(n => !child[n].Equals(parent[n])).ToList();
            var name = Assert.Single(differing);
            changed[name] = changed.GetValueOrDefault(name) + 1;
            if (conditionals.Any(c => c.Name == name))
            {
                // A switch changed: exactly the parameters its new value makes active are present; kept ones kept their value.
                foreach (var p in parameters)
                {
                    Assert.Equal(p.IsActive(child), child.ContainsKey(p.Name));
                }
            }
            else
            {
                Assert.Equal(parent.Names, child.Names);
            }

            foreach (var p in parameters.Where(p => p.Type == ParameterType.Int && child.ContainsKey(p.Name)))
            {
                var value = child[p.Name].Number;
                Assert.Equal(Math.Round(value), value);
                Assert.InRange(value, p.Min, p.Max);
            }
        }

        // Every dimension, switch and conditional parameters included, is mutated now and then, and the chosen one
        // is drawn uniformly among the parent's active dimensions (8 always active, 1 or 2 more by branch).
        Assert.Equal([.. space.Names.Order(StringComparer.Ordinal)], [.. changed.Keys.Order(StringComparer.Ordinal)]);
        Assert.All(new[] { "x", "rate", "n", "act", "model" }, n => Assert.InRange(changed[n], 200, 450));
    }

    [Fact]
    public void A_log_parameter_moves_by_factors_and_a_linear_one_by_differences()
    {
        var space = new SearchSpace([ParameterDefinition.Double("rate", 1e-5, 1, Transformation.Log), ParameterDefinition.Int("units", 8, 1024, Transformation.Log)]);
        var mutator = new Mutator(space, 0.1);
        var parent = space.CreateAssignment(new Dictionary<string, Scalar> { ["rate"] = 1e-4, ["units"] = 16 });
        var rateSteps = new List<double>();
        var unitSteps = new List<double>();
        for (var seed = 0; seed < 400; seed++)
        {
            var child = mutator.Mutate(parent, seed);
            if (!child["rate"].Equals(parent["rate"]))
            {
                rateSteps.Add(Math.Log(child["rate"].Number / 1e-4));
            }
            else
            {
                unitSteps.Add(Math.Log(child["units"].Number / 16));
            }
        }

        // A tenth of ln(1e5) ≈ 1.15 is the step's standard deviation in the logarithm: half the steps move the value
        // by less than a factor e^0.8, and as many go down as up. A step of a tenth of the linear range (0.1) would
        // multiply 1e-4 by hundreds.
        Assert.InRange(Median(rateSteps.Select(Math.Abs)), 0.4, 1.2);
        Assert.InRange(rateSteps.Count(s => s < 0), rateSteps.Count / 3, 2 * rateSteps.Count / 3);
        Assert.InRange(Median(unitSteps.Select(Math.Abs)), 0.2, 0.9);
    }

    [Fact]
    public void A_grid_value_that_rounds_back_moves_one_grid_point_and_stays_in_bounds()
    {
        var space = new SearchSpace([ParameterDefinition.Int("k", 0, 2), ParameterDefinition.Double("d", 0, 1, step: 0.25), ParameterDefinition.Categorical("fixed", "only")]);
        var mutator = new Mutator(space, 0.01); // a step far below one grid cell: every mutation rounds back first
        foreach (var k in new[] { 0, 1, 2 })
        {
            var parent = space.CreateAssignment(new Dictionary<string, Scalar> { ["k"] = k, ["d"] = 1.0, ["fixed"] = "only" });
            for (var seed = 0; seed < 100; seed++)
            {
                var child = mutator.Mutate(parent, seed);
                Assert.Equal("only", child["fixed"].Text); // one value: never the mutated one
                if (!child["k"].Equals(parent["k"]))
                {
                    Assert.Equal(1, Math.Abs(child["k"].Number - k));
                    Assert.Equal(1.0, child["d"].Number);
                }
                else
                {
                    Assert.Equal(0.75, child["d"].Number); // the top grid point's only neighbour
                }
            }
        }
    }

    [Fact]
    public void A_space_with_one_point_gives_the_parent_back()
    {
        var space = new SearchSpace([ParameterDefinition.Categorical("c", "only")], [new ConditionalDefinition("s", "on")]);
        var parent = space.Decode([0.3, 0.9]);
        Assert.Equal(parent, new Mutator(space, 0.1).Mutate(parent, 1));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
