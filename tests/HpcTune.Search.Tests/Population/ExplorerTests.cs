using HpcTune.Search.Population;
using HpcTune.Space;
using static HpcTune.Search.Tests.Population.PopulationFixtures;

namespace HpcTune.Search.Tests.Population;

public sealed class ExplorerTests
{
    [Theory]
    [InlineData(0.5, 1.2, 0.6)]
    [InlineData(0.9, 1.2, 1.0)] // clamped to the upper bound
    [InlineData(0.1, 0.5, 0.05)]
    public void A_real_number_is_multiplied_and_kept_inside_its_bounds(double value, double factor, double expected) =>
        Assert.Equal(expected, Explorer.Perturb(ParameterDefinition.Double("h", 0, 1), value, factor).Number, 12);

    [Theory]
    [InlineData(1, 1.2, 2)] // 1.2 rounds back to 1: one grid point up instead
    [InlineData(10, 0.8, 8)]
    [InlineData(2, 0.8, 1)]
    [InlineData(1, 0.8, 1)] // already at the lower bound
    [InlineData(40, 1.2, 42)] // clamped to the upper bound
    public void An_integer_moves_along_its_grid(long value, double factor, long expected) =>
        Assert.Equal(expected, Explorer.Perturb(ParameterDefinition.Int("n", 1, 42), value, factor).Number);

    [Fact]
    public void A_stepped_log_parameter_stays_on_its_grid()
    {
        var batch = ParameterDefinition.Int("batch", 16, 512, Transformation.Log, step: 16);
        Assert.Equal(160, Explorer.Perturb(batch, 128, 1.2).Number); // 153.6 → nearest point 160
        Assert.Equal(96, Explorer.Perturb(batch, 128, 0.8).Number); // 102.4 → nearest point 96
    }

    [Theory]
    [InlineData("b", 1.2, "c")]
    [InlineData("b", 0.8, "a")]
    [InlineData("c", 1.2, "c")]
    [InlineData("a", 0.8, "a")]
    [InlineData("b", 1.0, "b")]
    public void A_categorical_value_moves_to_a_neighbour(string value, double factor, string expected) =>
        Assert.Equal(expected, Explorer.Perturb(ParameterDefinition.Categorical("c", "a", "b", "c"), value, factor).Text);

    [Fact]
    public void Draws_cover_the_bounds_uniformly_or_in_log()
    {
        Assert.Equal(0.25, Explorer.Draw(ParameterDefinition.Double("h", 0, 1), 0.25).Number, 12);
        Assert.Equal(1e-3, Explorer.Draw(ParameterDefinition.Double("lr", 1e-4, 1e-2, Transformation.Log), 0.5).Number, 12);
        Assert.Equal(3, Explorer.Draw(ParameterDefinition.Int("n", 1, 4), 0.6).Number); // four equal bins
        Assert.Equal("c", Explorer.Draw(ParameterDefinition.Categorical("c", "a", "b", "c"), 0.99).Text);
    }

    [Fact]
    public void A_hyperparameter_is_resampled_when_its_first_number_is_below_the_resample_probability()
    {
        var definition = PbtStudy(resample: 0.3, factors: [2]);
        var explorer = new Explorer(definition.Space, Search.Population.PbtOptions.Read(definition));
        var source = definition.Space.CreateAssignment(new Dictionary<string, Values.Scalar> { ["h0"] = 0.2, ["h1"] = 0.2 });

        // h0: 0.1 < 0.3 → drawn from its third number (0.75); h1: 0.5 ≥ 0.3 → perturbed by 2.
        var explored = explorer.Explore(source, [0.1, 0.0, 0.75, 0.5, 0.0, 0.9]);
        Assert.Equal(0.75, explored["h0"].Number, 12);
        Assert.Equal(0.4, explored["h1"].Number, 12);
    }

    [Fact]
    public void A_switch_that_turns_a_parameter_on_draws_it_and_one_that_turns_it_off_drops_it()
    {
        var depth3 = new Dictionary<string, IReadOnlyList<string>> { ["depth"] = ["3"] };
        var definition = PbtStudy(
            parameters: [ParameterDefinition.Double("lr", 0.01, 1), ParameterDefinition.Int("units3", 16, 256).WithConditions(depth3)],
            conditionals: [new ConditionalDefinition("depth", "2", "3")], resample: 0, factors: [1.5]);
        var explorer = new Explorer(definition.Space, Search.Population.PbtOptions.Read(definition));

        var shallow = definition.Space.CreateAssignment(new Dictionary<string, Values.Scalar> { ["depth"] = "2", ["lr"] = 0.1 });
        var deeper = explorer.Explore(shallow, [0.9, 0.0, 0.0, 0.9, 0.0, 0.0, 0.9, 0.0, 0.5]);
        Assert.Equal("3", deeper["depth"].Text); // 1.5 > 1: the next value
        Assert.Equal(0.15, deeper["lr"].Number, 12);
        Assert.Equal(136, deeper["units3"].Number); // no value to perturb: drawn from 0.5

        var shallower = new Explorer(definition.Space, Search.Population.PbtOptions.Read(PbtStudy(
            parameters: definition.Space.Parameters, conditionals: definition.Space.Conditionals, resample: 0, factors: [0.5])))
            .Explore(deeper, [0.9, 0.0, 0.0, 0.9, 0.0, 0.0, 0.9, 0.0, 0.5]);
        Assert.Equal("2", shallower["depth"].Text);
        Assert.False(shallower.ContainsKey("units3"));
    }

    [Fact]
    public void Too_few_numbers_are_refused()
    {
        var definition = PbtStudy();
        var explorer = new Explorer(definition.Space, Search.Population.PbtOptions.Read(definition));
        Assert.Throws<ArgumentException>(() => explorer.Sample([0.5, 0.5]));
    }
}
