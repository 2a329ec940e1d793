using System.Text;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Transport;
using HpcTune.Values;

namespace HpcTune.Tests.Transport;

public class MessageCodecTests
{
    private static readonly StudyDefinition Study = new("wire",
        [ParameterDefinition.Double("lr", 1e-4, 1, Transformation.Log), ParameterDefinition.Categorical("act", "relu", "\"; rm -rf ~")],
        [new MetricDefinition("loss", MetricObjective.Minimize)], 10, 4, algorithm: new AlgorithmSpec("sobol", 3));

    [Fact]
    public void Every_message_survives_a_round_trip()
    {
        var ready = Assert.IsType<ReadyMessage>(MessageCodec.Decode(MessageCodec.Encode(new ReadyMessage("node-7", 12))));
        Assert.Equal(("node-7", 12), (ready.Host, ready.Rank));

        var welcome = Assert.IsType<WelcomeMessage>(MessageCodec.Decode(MessageCodec.Encode(new WelcomeMessage(Study, """{"Builtin":null,"Command":["/bin/true"]}"""))));
        Assert.Equal(Study, welcome.Study);
        Assert.Contains("/bin/true", welcome.ObjectiveJson, StringComparison.Ordinal);
        Assert.Null(welcome.HeartbeatSeconds);
        Assert.Equal(2.5, Assert.IsType<WelcomeMessage>(MessageCodec.Decode(MessageCodec.Encode(new WelcomeMessage(Study, "{}", 2.5)))).HeartbeatSeconds);

        var assignment = new Dictionary<string, Scalar> { ["lr"] = 0.1 + 0.2, ["act"] = "\"; rm -rf ~" };
        var suggestion = Assert.IsType<SuggestionMessage>(MessageCodec.Decode(MessageCodec.Encode(new SuggestionMessage(41, 2, assignment))));
        Assert.Equal((41L, 2), (suggestion.TrialId, suggestion.Attempt));
        Assert.Equal(0.1 + 0.2, suggestion.Assignment["lr"].Number);
        Assert.Equal("\"; rm -rf ~", suggestion.Assignment["act"].Text);

        var result = Assert.IsType<ResultMessage>(MessageCodec.Decode(MessageCodec.Encode(
            new ResultMessage(41, new Dictionary<string, double> { ["loss"] = 1.25 }, null, new Dictionary<string, Scalar> { ["gpu"] = "a100" }, 3.5))));
        Assert.Equal(1.25, result.Values!["loss"]);
        Assert.Null(result.Failure);
        Assert.Equal("a100", result.Metadata["gpu"].Text);

        var failure = Assert.IsType<ResultMessage>(MessageCodec.Decode(MessageCodec.Encode(new ResultMessage(9, null, "exit code 3", new Dictionary<string, Scalar>(), 0.1))));
        Assert.Equal("exit code 3", failure.Failure);
        Assert.Null(failure.Values);

        Assert.Equal("done", Assert.IsType<StopMessage>(MessageCodec.Decode(MessageCodec.Encode(new StopMessage("done")))).Reason);
        Assert.Equal([17L, 18L], Assert.IsType<HeartbeatMessage>(MessageCodec.Decode(MessageCodec.Encode(new HeartbeatMessage([17, 18])))).TrialIds);
        var abandon = Assert.IsType<AbandonMessage>(MessageCodec.Decode(MessageCodec.Encode(new AbandonMessage(17, "completed by rank 3"))));
        Assert.Equal((17L, "completed by rank 3"), (abandon.TrialId, abandon.Reason));
        Assert.Equal("node drained", Assert.IsType<LeaveMessage>(MessageCodec.Decode(MessageCodec.Encode(new LeaveMessage("node drained")))).Reason);

        var report = Assert.IsType<ReportMessage>(MessageCodec.Decode(MessageCodec.Encode(new ReportMessage(41, 12, new Dictionary<string, double> { ["loss"] = 0.1 + 0.2, ["acc"] = -0.0 }))));
        Assert.Equal((41L, 12L), (report.TrialId, report.Step));
        Assert.Equal(0.1 + 0.2, report.Values["loss"]);
        Assert.Equal(2, report.Values.Count);
        var stop = Assert.IsType<ReportAnswerMessage>(MessageCodec.Decode(MessageCodec.Encode(new ReportAnswerMessage(41, 12, true, "below the median at step 12", true))));
        Assert.Equal(new ReportAnswerMessage(41, 12, true, "below the median at step 12", true), stop);
        Assert.Equal(new ReportAnswerMessage(41, 13, false, null, false), MessageCodec.Decode(MessageCodec.Encode(new ReportAnswerMessage(41, 13, false, null, false))));
    }

    [Fact]
    public void A_suggestion_carries_its_lineage_and_absolute_checkpoint_directories()
    {
        var lineage = new HpcTune.Trials.TrialLineage(3, 2, 17, "checkpoints/trial-40", 10, 15);
        var paths = new HpcTune.Trials.TrialCheckpointPaths("/ckpt/checkpoints/trial-40", "/ckpt/checkpoints/trial-17");
        var decoded = Assert.IsType<SuggestionMessage>(MessageCodec.Decode(MessageCodec.Encode(new SuggestionMessage(40, 1, new Dictionary<string, Scalar> { ["lr"] = 0.5 }, lineage, paths))));
        Assert.Equal(lineage, decoded.Lineage);
        Assert.Equal(paths, decoded.Checkpoints);

        var first = new HpcTune.Trials.TrialLineage(Member: 0, Generation: 0, CheckpointDirectory: "checkpoints/trial-1", StartStep: 0, EndStep: 5);
        var alone = Assert.IsType<SuggestionMessage>(MessageCodec.Decode(MessageCodec.Encode(new SuggestionMessage(1, 1, new Dictionary<string, Scalar>(), first, new("/c/trial-1", null)))));
        Assert.Equal(first, alone.Lineage);
        Assert.Null(alone.Checkpoints!.ParentDirectory);
        var plain = Assert.IsType<SuggestionMessage>(MessageCodec.Decode(MessageCodec.Encode(new SuggestionMessage(2, 1, new Dictionary<string, Scalar>()))));
        Assert.Null(plain.Lineage);
        Assert.Null(plain.Checkpoints);
    }

    [Fact]
    public void A_message_of_the_previous_format_is_refused_naming_both_versions()
    {
        var bytes = Encoding.UTF8.GetBytes("HT\u0003\u0005{\"reason\": \"x\"}");
        var e = Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
        Assert.Contains("message format version 3; this HpcTune speaks version 4", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[0], "no HT marker")]
    [InlineData(new byte[] { 1, 2, 3, 4, 5 }, "no HT marker")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 2, 1, (byte)'{', (byte)'}' }, "format version 2")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 8 }, "empty bundle")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 8, 9, 0, 0, 0, (byte)'H', (byte)'T' }, "bundle truncated: message 1 claims 9 bytes, 2 remain")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 8, 4, 0, 0, 0, (byte)'H', (byte)'T', 4, 8 }, "bundle holds a bundle")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 12, (byte)'{', (byte)'}' }, "unknown message type 12")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 9, (byte)'{', (byte)'}' }, "message type 9 cannot be read")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 3, (byte)'{', (byte)'}' }, "message type 3 cannot be read")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 4, (byte)'{' }, "message type 4 cannot be read")]
    [InlineData(new byte[] { (byte)'H', (byte)'T', 4, 6, (byte)'{', (byte)'}' }, "message type 6 cannot be read")]
    public void Malformed_bytes_are_a_format_error_that_says_what_is_wrong(byte[] data, string expected)
    {
        var e = Assert.Throws<FormatException>(() => MessageCodec.Decode(data));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ranks_messages_travel_in_bundles_in_order_and_no_bundle_exceeds_the_limit()
    {
        List<WireMessage> messages = [.. Enumerable.Range(0, 40).Select(i => new SuggestionMessage(i, 0, new Dictionary<string, Scalar> { ["lr"] = i / 7.0 }))];
        messages.Add(new StopMessage("done"));
        var one = MessageCodec.Encode(messages[0]).Length;
        var limit = 10 * (one + 4);

        var packed = MessageCodec.Pack(messages, limit);

        Assert.True(packed.Count >= 5, $"{packed.Count} bundles for 41 messages of about {one} bytes under a limit of {limit}");
        Assert.All(packed, bytes => Assert.True(bytes.Length <= limit, $"{bytes.Length} bytes"));
        var unpacked = packed.SelectMany(bytes => Assert.IsType<BundleMessage>(MessageCodec.Decode(bytes)).Messages).ToList();
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long)i), unpacked.Take(40).Select(m => Assert.IsType<SuggestionMessage>(m).TrialId));
        Assert.Equal(39 / 7.0, ((SuggestionMessage)unpacked[39]).Assignment["lr"].Number);
        Assert.Equal("done", Assert.IsType<StopMessage>(unpacked[^1]).Reason);
    }

    [Fact]
    public void A_single_message_travels_as_itself_and_bundles_do_not_nest()
    {
        var alone = Assert.Single(MessageCodec.Pack([new StopMessage("done")], 1 << 20));
        Assert.Equal("done", Assert.IsType<StopMessage>(MessageCodec.Decode(alone)).Reason);
        Assert.Empty(MessageCodec.Pack([], 1 << 20));
        var bundle = new BundleMessage([new StopMessage("a"), new StopMessage("b")]);
        Assert.Throws<ArgumentException>(() => MessageCodec.Pack([bundle], 1 << 20));
        Assert.Equal(["a", "b"], Assert.IsType<BundleMessage>(MessageCodec.Decode(MessageCodec.Encode(bundle))).Messages.Select(m => ((StopMessage)m).Reason));
    }

    [Fact]
    public void A_result_naming_a_metric_twice_is_a_format_error_not_a_crash()
    {
        var bytes = Encoding.UTF8.GetBytes("HT\u0004\u0004{\"trial\": 1, \"values\": {\"a\": 1, \"a\": 2}, \"metadata\": {}, \"seconds\": 0}");
        var e = Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
        Assert.Contains("message type 4 cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_message_inside_a_bundle_spoils_only_itself()
    {
        byte[][] parts = [MessageCodec.Encode(new StopMessage("a")), [(byte)'H', (byte)'T', 4, 3, (byte)'{', (byte)'}'], MessageCodec.Encode(new StopMessage("b"))];
        var bundle = new List<byte> { (byte)'H', (byte)'T', MessageCodec.Version, 8 };
        foreach (var part in parts)
        {
            bundle.AddRange(BitConverter.GetBytes(part.Length));
            bundle.AddRange(part);
        }

        var messages = Assert.IsType<BundleMessage>(MessageCodec.Decode([.. bundle])).Messages;

        Assert.Equal("a", Assert.IsType<StopMessage>(messages[0]).Reason);
        Assert.Contains("message 2 of a bundle: message type 3 cannot be read", Assert.IsType<MalformedMessage>(messages[1]).Problem, StringComparison.Ordinal);
        Assert.Equal("b", Assert.IsType<StopMessage>(messages[2]).Reason);
    }

    [Fact]
    public void A_welcome_with_an_invalid_study_is_a_format_error()
    {
        var bytes = Encoding.UTF8.GetBytes("HT\u0004\u0002{\"study\": {\"name\": \"x\"}, \"objective\": {}}");
        var e = Assert.Throws<FormatException>(() => MessageCodec.Decode(bytes));
        Assert.Contains("parameters", e.Message, StringComparison.Ordinal);
    }
}
