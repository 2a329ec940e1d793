using HpcTune.Gp.Engines;

namespace HpcTune.Torch;

/// <summary>
/// The GP engine on TorchSharp: with it registered, a study's <c>"algorithm": {"name": "gp", "engine": "torch",
/// "device": "cpu" | "cuda"}</c> fits the GP and scores its candidates on libtorch (docs/gp-engines.md).
/// </summary>
public static class TorchEngine
{
    /// <summary>Makes <c>"engine": "torch"</c> valid in studies; call it once at start (again is harmless).</summary>
    public static void Register() => GpEngines.Register(TorchEngineProvider.Instance);
}
