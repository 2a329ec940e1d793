namespace HpcTune.Gp.Engines;

/// <summary>An engine a study may name in <c>algorithm.engine</c> besides the host ones (<see cref="GpEngines.Register"/>).</summary>
internal interface IGpEngineProvider
{
    /// <summary>The name studies use ("torch").</summary>
    string Name { get; }

    /// <summary>
    /// The engine on <paramref name="device"/> ("cpu" or "cuda"); throws <see cref="InvalidOperationException"/> whose
    /// message says what to install when the engine's runtime (libtorch, a CUDA build of it) is missing.
    /// </summary>
    IGpEngine Create(string device);
}
