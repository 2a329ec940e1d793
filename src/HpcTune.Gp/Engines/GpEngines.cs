using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Sampling;
using HpcTune.Study;

namespace HpcTune.Gp.Engines;

/// <summary>
/// The engines the GP of one objective may run on, chosen by the study's <c>algorithm.engine</c>: <c>native</c>
/// (libhpctune_la), <c>managed</c> or <c>torch</c> (HpcTune.Torch, which registers itself with
/// <c>HpcTune.Torch.TorchEngine.Register()</c>), and for torch <c>algorithm.device</c> (<c>cpu</c>, the default, or
/// <c>cuda</c>). Without <c>engine</c> the GP runs on the process's linear algebra (<c>--linalg</c>: native when it
/// loads). docs/gp-engines.md.
/// </summary>
internal static class GpEngines
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, IGpEngineProvider> Registered = [];

    /// <summary>The names <c>algorithm.engine</c> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["native", "managed", "torch"];

    /// <summary>The devices <c>algorithm.device</c> accepts.</summary>
    public static IReadOnlyList<string> Devices { get; } = ["cpu", "cuda"];

    /// <summary>Makes <paramref name="provider"/>'s name usable in studies (again with the same provider is harmless).</summary>
    public static void Register(IGpEngineProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        lock (Gate)
        {
            if (Registered.TryGetValue(provider.Name, out var existing) && !ReferenceEquals(existing, provider))
            {
                throw new ArgumentException($"a GP engine named '{provider.Name}' is already registered ({existing.GetType().FullName})", nameof(provider));
            }

            Registered[provider.Name] = provider;
        }
    }

    /// <summary>Checks the study's <c>engine</c> and <c>device</c> (paths under <paramref name="section"/>) without loading anything.</summary>
    /// <exception cref="DefinitionException">An engine that is not registered, or a device without the torch engine.</exception>
    public static void Validate(string? engine, string? device, string section)
    {
        if (device is not null && engine != "torch")
        {
            throw new DefinitionException($"{section}.device",
                $"device '{device}' applies to the torch engine; add \"engine\": \"torch\" (the {engine ?? "default"} engine runs on the host)");
        }

        if (engine == "torch" && Provider("torch") is null)
        {
            throw new DefinitionException($"{section}.engine", TorchMissing);
        }
    }

    /// <summary><paramref name="options"/> with the engine the study names (unchanged when it names none).</summary>
    /// <exception cref="DefinitionException">The engine cannot run here; the message says what to install or build.</exception>
    public static GpOptions Apply(GpOptions options, string? engine, string? device, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(engine, device, section);
        switch (engine)
        {
            case null:
                return options;
            case "managed":
                return options with { LinearAlgebra = ManagedLinearAlgebra.Instance };
            case "native":
                if (LinearAlgebraProviders.Default is NativeLinearAlgebra loaded)
                {
                    return options with { LinearAlgebra = loaded };
                }

                return NativeLinearAlgebra.TryCreate(out var reason) is { } native
                    ? options with { LinearAlgebra = native }
                    : throw new DefinitionException($"{section}.engine", $"the native engine needs libhpctune_la, but {reason}");
            default:
                try
                {
                    return options with { Engine = Provider(engine)!.Create(device ?? "cpu") };
                }
                catch (InvalidOperationException e)
                {
                    throw new DefinitionException($"{section}.engine", e.Message);
                }
        }
    }

    private const string TorchMissing = "the torch engine is in HpcTune.Torch, which this program has not registered: "
        + "reference the HpcTune.Torch project or package (it brings TorchSharp 0.107.0 and libtorch-cpu-linux-x64 2.10.0) and call "
        + "HpcTune.Torch.TorchEngine.Register() once at start (docs/gp-engines.md)";

    private static IGpEngineProvider? Provider(string name)
    {
        lock (Gate)
        {
            return Registered.GetValueOrDefault(name);
        }
    }
}
