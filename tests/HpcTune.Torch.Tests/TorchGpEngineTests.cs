using HpcTune.Gp.Engines;
using HpcTune.Gp.Tests.Engines;
using TorchSharp;

namespace HpcTune.Torch.Tests;

/// <summary>The engine conformance suite for torch on the CPU, at the sizes of issue 29: up to 2,048 observations.</summary>
public sealed class TorchCpuEngineTests : GpEngineConformance
{
    internal override IGpEngine Engine { get; } = TorchEngineProvider.Instance.Create("cpu");

    protected override IReadOnlyList<int> Sizes { get; } = [16, 256, 1024, 2048];
}

/// <summary>
/// The same suite on a CUDA device, where libtorch has one; elsewhere (every machine of this project, CI included)
/// each test returns at once, and <see cref="TorchEngineTests.Cuda_without_a_cuda_libtorch_is_refused_with_what_to_install"/> covers the refusal.
/// </summary>
public sealed class TorchCudaEngineTests : GpEngineConformance
{
    internal override IGpEngine Engine => CudaOrSkip();

    protected override IReadOnlyList<int> Sizes { get; } = torch.cuda.is_available() ? [16, 256, 1024, 2048] : [];

    protected override int MaxLikelihoodSize => 2048;

    private static IGpEngine CudaOrSkip()
    {
        Assert.SkipUnless(torch.cuda.is_available(), "no CUDA device or no CUDA build of libtorch here");
        return TorchEngineProvider.Instance.Create("cuda");
    }
}
