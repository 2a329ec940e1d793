using HpcTune.Study;
using HpcTune.Transport;
using HpcTune.Values;

namespace HpcTune.Tests.Transport;

/// <summary>The wire carries the second edition's model: metadata of every kind, a conditional multi-objective study, assignments without inactive parameters.</summary>
public class MessageCodecModelTests
{
    [Fact]
    public void Metadata_strings_numbers_and_booleans_cross_the_wire()
    {
        var metadata = new Dictionary<string, Scalar> { ["device"] = "gpu0", ["epochs"] = 12, ["converged"] = Scalar.FromBoolean(true), ["cached"] = Scalar.FromBoolean(false) };
        var result = Assert.IsType<ResultMessage>(MessageCodec.Decode(MessageCodec.Encode(
            new ResultMessage(5, new Dictionary<string, double> { ["loss"] = 0.5 }, null, metadata, 1.0))));
        Assert.Equal(metadata, result.Metadata);
        Assert.True(result.Metadata["converged"].IsBoolean);
    }

    [Fact]
    public void A_conditional_multi_objective_study_and_its_partial_assignments_cross_the_wire()
    {
        var study = StudyDefinitionJson.Parse("""
            {"name": "wire2", "conditionals": [{"name": "depth", "values": ["2", "3"]}],
             "parameters": [{"name": "lr", "type": "double", "bounds": {"min": 0.001, "max": 1}},
                            {"name": "units3", "type": "int", "bounds": {"min": 1, "max": 9}, "conditions": {"depth": ["3"]}}],
             "metrics": [{"name": "acc", "objective": "maximize"}, {"name": "ms", "objective": "minimize"},
                         {"name": "gb", "objective": "minimize", "strategy": "constraint", "threshold": 16}],
             "observation_budget": 4, "algorithm": {"name": "sobol", "seed": 1}}
            """);
        var welcome = Assert.IsType<WelcomeMessage>(MessageCodec.Decode(MessageCodec.Encode(new WelcomeMessage(study, "{}"))));
        Assert.Equal(study, welcome.Study);
        Assert.True(welcome.Study.IsMultiObjective && welcome.Study.HasConditions && welcome.Study.HasConstraints);

        var assignment = study.Space.Decode([0.1, 0.5, 0.5]); // depth 2: units3 inactive
        var suggestion = Assert.IsType<SuggestionMessage>(MessageCodec.Decode(MessageCodec.Encode(new SuggestionMessage(1, 1, assignment))));
        Assert.Equal(assignment, study.Space.CreateAssignment(suggestion.Assignment));
        Assert.False(suggestion.Assignment.ContainsKey("units3"));
    }
}
