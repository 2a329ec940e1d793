using System.Text;
using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Tests.Study;

public class StudyDefinitionJsonTests
{
    [Fact]
    public void The_contract_example_reads_as_written()
    {
        var d = StudyDefinitionJson.Parse(StudyJsonFixtures.ContractExample);
        Assert.Equal("svm-digits", d.Name);
        Assert.Equal(["gamma", "C", "degree", "dropout", "kernel"], d.Space.Names);
        Assert.Equal(Transformation.Log, d.Space.Parameters[0].Transformation);
        Assert.Equal(ParameterType.Int, d.Space.Parameters[2].Type);
        Assert.Equal(0.05, d.Space.Parameters[3].Step);
        Assert.Equal(["rbf", "poly", "sigmoid"], d.Space.Parameters[4].CategoricalValues);
        Assert.Equal(MetricObjective.Maximize, d.Objective.Objective);
        Assert.Equal((100, 8, 10), (d.ObservationBudget, d.ParallelBandwidth, d.MaxFailures));
        Assert.Equal(new AlgorithmSpec("gp", 42).WithOption("initial_points", 10), d.Algorithm);
        Assert.Equal("team-a", d.Metadata["owner"].Text);
    }

    [Fact]
    public void A_definition_survives_a_write_read_round_trip_unchanged()
    {
        var original = new StudyDefinition(
            "round-trip",
            [
                ParameterDefinition.Double("lr", 1e-5, 0.3, Transformation.Log),
                ParameterDefinition.Double("momentum", 0.5, 0.99, step: 0.01),
                ParameterDefinition.Int("layers", 1, 12),
                ParameterDefinition.Int("width", 16, 1024, Transformation.Log, step: 16),
                ParameterDefinition.Categorical("optimizer", "sgd", "adam", "\"; rm -rf ~"),
            ],
            [
                new MetricDefinition("loss", MetricObjective.Minimize),
                new MetricDefinition("latency_ms", MetricObjective.Minimize, MetricStrategy.Constraint, 12.5),
                new MetricDefinition("memory", MetricObjective.Maximize, MetricStrategy.Store),
            ],
            observationBudget: 321, parallelBandwidth: 63, maxFailures: 7,
            algorithm: new AlgorithmSpec("sobol", -9_000_000_000_000).WithOption("initial_points", 17),
            metadata: new Dictionary<string, HpcTune.Values.Scalar> { ["owner"] = "team-b", ["priority"] = 0.1 + 0.2, ["üñï"] = "ok" });

        var json = StudyDefinitionJson.Write(original);
        var read = StudyDefinitionJson.Parse(json);
        Assert.Equal(original, read);
        Assert.Equal(json, StudyDefinitionJson.Write(read));
        Assert.Equal(0.1 + 0.2, read.Metadata["priority"].Number);
    }

    [Fact]
    public void Defaults_are_filled_in_and_written_back()
    {
        var d = StudyDefinitionJson.Parse(StudyJsonFixtures.WithTopLevel("\"observation_budget\": 30"));
        Assert.Equal((1, 30, "gp"), (d.ParallelBandwidth, d.MaxFailures, d.Algorithm.Name));
        Assert.Equal(d, StudyDefinitionJson.Parse(StudyDefinitionJson.Write(d)));
    }

    [Theory]
    [InlineData("\"observation_budget\": 10, \"budget\": 5", "budget", "unknown key 'budget'")]
    [InlineData("\"observation_budget\": 0", "observation_budget", "positive integer")]
    [InlineData("\"observation_budget\": 2.5", "observation_budget", "expected an integer")]
    [InlineData("\"observation_budget\": 99999999999", "observation_budget", "expected an integer")]
    [InlineData("\"observation_budget\": \"10\"", "observation_budget", "got the string \"10\"")]
    [InlineData("\"parallel_bandwidth\": 4", "observation_budget", "missing")]
    [InlineData("\"observation_budget\": 10, \"parallel_bandwidth\": 0", "parallel_bandwidth", "positive integer")]
    [InlineData("\"observation_budget\": 10, \"max_failures\": -1", "max_failures", "positive integer")]
    [InlineData("\"observation_budget\": 10, \"algorithm\": {\"name\": \"tpe\"}", "algorithm.name", "unknown algorithm 'tpe'")]
    [InlineData("\"observation_budget\": 10, \"algorithm\": {\"name\": \"sobol\", \"seed\": 1.5}", "algorithm.seed", "expected an integer")]
    [InlineData("\"observation_budget\": 10, \"algorithm\": {\"name\": \"sobol\", \"initial_points\": 0}", "algorithm.initial_points", "positive integer")]
    [InlineData("\"observation_budget\": 10, \"algorithm\": {\"name\": \"sobol\", \"acq\": \"ei\"}", "algorithm.acq", "unknown key 'acq'")]
    [InlineData("\"observation_budget\": 10, \"algorithm\": \"sobol\"", "algorithm", "expected an object")]
    [InlineData("\"observation_budget\": 10, \"metadata\": {\"tags\": [\"a\"]}", "metadata.tags", "expected a string or a number")]
    [InlineData("\"observation_budget\": 10, \"metadata\": {\"ok\": true}", "metadata.ok", "expected a string or a number, got the boolean true")]
    [InlineData("\"observation_budget\": 10, \"metadata\": []", "metadata", "expected an object")]
    // A lone UTF-16 surrogate escape is valid JSON but no text.
    [InlineData("\"observation_budget\": 3, \"algorithm\": {\"name\": \"a\\ud800\"}", "algorithm.name", "the string holds a \\u escape")]
    [InlineData("\"observation_budget\": \"\\ud800\"", "observation_budget", "got the string \"\\ud800\"")]
    [InlineData("\"observation_budget\": 3, \"metadata\": {\"\\udc00\": 1}", "metadata", "a key holds a \\u escape")]
    public void Top_level_errors_name_the_key(string member, string path, string problem)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(StudyJsonFixtures.WithTopLevel(member)));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"name": "loss", "objective": "lower"}]""", "metrics[0].objective", "unknown objective 'lower'")]
    [InlineData("""[]""", "metrics", "at least one metric")]
    [InlineData("""[{"name": "a"}, {"name": "a", "strategy": "store"}]""", "metrics[1].name", "duplicate metric name 'a'")]
    [InlineData("""[{"name": "a", "strategy": "store"}]""", "metrics", "one to 4 metrics must be optimized")]
    [InlineData("""[{"name": "a"}, {"name": "b"}, {"name": "c"}, {"name": "d"}, {"name": "e"}]""", "metrics", "found 5")]
    [InlineData("""[{"name": "a"}, {"name": "b", "strategy": "constraint"}]""", "metrics[1].threshold", "needs a threshold")]
    [InlineData("""[{"name": "a", "threshold": 3}]""", "metrics[0].threshold", "only allowed")]
    [InlineData("""[{"name": "a", "strategy": "bound"}]""", "metrics[0].strategy", "unknown strategy 'bound'")]
    [InlineData("""{"name": "a"}""", "metrics", "expected an array of metric objects, got an object")]
    public void Metric_errors_name_the_metric(string metrics, string path, string problem)
    {
        var json = $$$"""{"name": "s", "parameters": [{"name": "a", "bounds": {"min": 0, "max": 1}}], "metrics": {{{metrics}}}, "observation_budget": 5}""";
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(json));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("{\"name\": \"s\",", "not valid JSON")]
    [InlineData("{\"name\": \"s\"} trailing", "not valid JSON")]
    [InlineData("// comment\n{}", "not valid JSON")]
    [InlineData("[]", "expected an object, got an array")]
    [InlineData("{}", "name: missing")]
    [InlineData("{\"name\": \"\", \"parameters\": [{\"name\": \"a\", \"bounds\": {\"min\": 0, \"max\": 1}}], \"metrics\": [{\"name\": \"m\"}], \"observation_budget\": 1}", "name: the study needs a non-empty name")]
    [InlineData("{\"name\": \"s\", \"parameters\": [], \"metrics\": [{\"name\": \"m\"}], \"observation_budget\": 1}", "parameters: at least one parameter")]
    public void Broken_documents_get_clear_errors(string json, string expected)
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_utf8_bytes_are_a_clear_error()
    {
        var bytes = Encoding.UTF8.GetBytes(StudyJsonFixtures.WithTopLevel("\"observation_budget\": 10")).ToList();
        bytes.InsertRange(bytes.IndexOf((byte)'s') + 1, new byte[] { 0xC3, 0x28, 0xFF });
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(bytes.ToArray()));
        Assert.Contains("not valid UTF-8", e.Message, StringComparison.Ordinal);
        Assert.Contains("byte", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped()
    {
        var d = StudyDefinitionJson.Parse((byte[])[0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(StudyJsonFixtures.ContractExample)]);
        Assert.Equal("svm-digits", d.Name);
    }

    [Fact]
    public void A_nul_byte_is_called_binary_or_utf16()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Parse(Encoding.BigEndianUnicode.GetBytes(StudyJsonFixtures.ContractExample)));
        Assert.Contains("NUL byte at byte offset 0: it is binary or UTF-16", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_directory_says_it_is_one()
    {
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Load(Path.GetTempPath()));
        Assert.Contains("it is a directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_missing_file_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hpctune-missing-{Guid.NewGuid():N}.json");
        var e = Assert.Throws<DefinitionException>(() => StudyDefinitionJson.Load(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
