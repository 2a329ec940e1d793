using System.Text.Json.Serialization;

namespace HpcTune.Study;

/// <summary>Serializes the scalar option values of <see cref="AlgorithmSpec.WithOption(string, long)"/> and its siblings without reflection.</summary>
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
internal sealed partial class AlgorithmOptionJsonContext : JsonSerializerContext;
