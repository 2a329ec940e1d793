using BenchmarkDotNet.Running;

// dotnet artifacts/bin/HpcTune.Torch.Bench/release/HpcTune.Torch.Bench.dll --filter '*GpEngineBenchmarks*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(HpcTune.Torch.Bench.GpEngineBenchmarks).Assembly).Run(args);
