using HpcTune.Journal;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Tests.Journal;

namespace HpcTune.Tests.Study;

/// <summary>A study too large to keep says what made it large (issue 23, item 10).</summary>
public class StudySizeTests
{
    private static readonly MetricDefinition[] Loss = [new("loss", MetricObjective.Minimize)];

    [Fact]
    public void Twenty_thousand_parameters_are_refused_as_too_many_parameters_not_too_long_strings()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<DefinitionException>(() => Checkpoint.Create(dir.Combine("ckpt"),
            new StudyDefinition("wide", Numbered(20_000, "x"), Loss, 10)));
        Assert.Equal("parameters", e.Path);
        Assert.Contains("20000 parameters", e.Problem, StringComparison.Ordinal);
        Assert.Contains($"at most {SearchSpace.MaxParameters}", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("shorten", e.Problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("ckpt")));
    }

    [Fact]
    public void The_most_parameters_allowed_are_accepted_in_code() =>
        Assert.Equal(SearchSpace.MaxParameters, new SearchSpace(Numbered(SearchSpace.MaxParameters, "x")).Dimension);

    [Fact]
    public void Many_parameters_too_large_for_a_record_are_named_as_the_cause()
    {
        using var dir = new TempDirectory();
        var study = new StudyDefinition("wide", Numbered(9_000, new string('p', 80)), Loss, 10);
        var e = Assert.Throws<DefinitionException>(() => Checkpoint.Create(dir.Combine("ckpt"), study));
        Assert.Contains($"more than the {JournalFormat.MaxPayload} one record holds", e.Problem, StringComparison.Ordinal);
        Assert.Contains("it has 9000 parameters", e.Problem, StringComparison.Ordinal);
        Assert.Contains("use fewer parameters", e.Problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.Combine("ckpt")));
    }

    [Fact]
    public void One_categorical_with_too_many_values_is_named_as_the_cause()
    {
        using var dir = new TempDirectory();
        var values = Enumerable.Range(0, 60_000).Select(i => $"value-number-{i:D8}");
        var study = new StudyDefinition("cat", [ParameterDefinition.Double("x", 0, 1), ParameterDefinition.Categorical("choice", values)], Loss, 10);
        var e = Assert.Throws<DefinitionException>(() => Checkpoint.Create(dir.Combine("ckpt"), study));
        Assert.Contains("parameters[1] ('choice')", e.Problem, StringComparison.Ordinal);
        Assert.Contains("60000 categorical values", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_name_is_named_as_the_cause()
    {
        using var dir = new TempDirectory();
        var study = new StudyDefinition(new string('n', JournalFormat.MaxPayload), [ParameterDefinition.Double("x", 0, 1)], Loss, 10);
        var e = Assert.Throws<DefinitionException>(() => Checkpoint.Create(dir.Combine("ckpt"), study));
        Assert.Contains("the study's name takes", e.Problem, StringComparison.Ordinal);
        Assert.Contains("shorten the name", e.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain("fewer parameters", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_metadata_is_named_as_the_cause()
    {
        using var dir = new TempDirectory();
        var metadata = Enumerable.Range(0, 3).ToDictionary(i => $"note{i}", i => HpcTune.Values.Scalar.FromText(new string('m', JournalFormat.MaxPayload / 2)));
        var study = new StudyDefinition("meta", [ParameterDefinition.Double("x", 0, 1)], Loss, 10, metadata: metadata);
        var e = Assert.Throws<DefinitionException>(() => Checkpoint.Create(dir.Combine("ckpt"), study));
        Assert.Contains("the metadata takes", e.Problem, StringComparison.Ordinal);
        Assert.Contains("3 entries", e.Problem, StringComparison.Ordinal);
    }

    private static ParameterDefinition[] Numbered(int count, string prefix) =>
        [.. Enumerable.Range(0, count).Select(i => ParameterDefinition.Double($"{prefix}{i}", 0, 1))];
}
