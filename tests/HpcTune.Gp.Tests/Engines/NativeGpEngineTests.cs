using HpcTune.Gp.Engines;
using HpcTune.Gp.LinearAlgebra;

namespace HpcTune.Gp.Tests.Engines;

/// <summary>The engine conformance suite for the native engine (libhpctune_la), at the sizes the default CI can afford.</summary>
public sealed class NativeGpEngineTests : GpEngineConformance
{
    internal override IGpEngine Engine { get; } = new HostGpEngine(
        NativeLinearAlgebra.TryCreate(out var reason) ?? throw new InvalidOperationException($"these tests need libhpctune_la: {reason}"));

    protected override IReadOnlyList<int> Sizes { get; } = [16, 256];
}
