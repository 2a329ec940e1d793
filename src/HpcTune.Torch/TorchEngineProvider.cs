using HpcTune.Gp.Engines;
using TorchSharp;

namespace HpcTune.Torch;

/// <summary>Creates <see cref="TorchGpEngine"/> on a device, after checking that libtorch loads and has that device.</summary>
internal sealed class TorchEngineProvider : IGpEngineProvider
{
    private TorchEngineProvider()
    {
    }

    /// <summary>The one provider.</summary>
    public static TorchEngineProvider Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "torch";

    /// <inheritdoc/>
    public IGpEngine Create(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        try
        {
            if (device == "cuda")
            {
                if (!torch.cuda.is_available())
                {
                    throw new InvalidOperationException(
                        "device 'cuda' was asked for, but the libtorch here has no CUDA or sees no GPU: install a CUDA build of libtorch "
                        + "(libtorch-cuda-12.8-linux-x64 in place of libtorch-cpu-linux-x64) on a machine with an NVIDIA driver, or use \"device\": \"cpu\"");
                }

                return new TorchGpEngine(torch.CUDA);
            }

            if (device != "cpu")
            {
                throw new InvalidOperationException($"unknown device '{device}'; expected cpu or cuda");
            }

            torch.InitializeDeviceType(DeviceType.CPU);
            return new TorchGpEngine(torch.CPU);
        }
        catch (Exception e) when (e is not InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"the torch engine could not load libtorch ({e.Message.Split('\n')[0].Trim()}): install the libtorch-cpu-linux-x64 2.10.0 package "
                + "(or a CUDA build of libtorch) beside TorchSharp 0.107.0, and on a libstdc++ older than GCC 13 build with HpcTune.Torch's targets, "
                + "which fix libLibTorchSharp.so (docs/gp-engines.md)", e);
        }
    }
}
