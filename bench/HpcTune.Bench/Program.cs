using BenchmarkDotNet.Running;
using HpcTune.Bench;
using HpcTune.Bench.Service;
using HpcTune.Gp.Sampling;

GpSampler.Register();
HpcTune.Search.SearchAlgorithms.Register();
var verb = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
try
{
    switch (verb)
    {
        case "quality":
            await QualityBenchmark.RunAsync(BenchArguments.Parse(rest, QualityBenchmark.Options));
            break;
        case "latency":
            LatencyBenchmark.Run(BenchArguments.Parse(rest, LatencyBenchmark.Options));
            break;
        case "gp-scale":
            GpScaleBenchmark.Run(BenchArguments.Parse(rest, GpScaleBenchmark.Options));
            break;
        case "fantasy-cap":
            FantasyCapBenchmark.Run(BenchArguments.Parse(rest, FantasyCapBenchmark.Options));
            break;
        case "throughput":
            await ThroughputBenchmark.RunAsync(BenchArguments.Parse(rest, ThroughputBenchmark.Options));
            break;
        case "master-cost":
            MasterCostBenchmark.Run(BenchArguments.Parse(rest, MasterCostBenchmark.Options));
            break;
        case "service":
            await ServiceBenchmark.RunAsync(BenchArguments.Parse(rest, ServiceBenchmark.Options));
            break;
        case "service-quality":
            await ServiceQualityBenchmark.RunAsync(BenchArguments.Parse(rest, ServiceQualityBenchmark.Options));
            break;
        case "pbt-toy":
            await HpcTune.Bench.Population.PbtToyBenchmark.RunAsync(BenchArguments.Parse(rest, HpcTune.Bench.Population.PbtToyBenchmark.Options), "HpcTune.Bench.dll " + string.Join(' ', args));
            break;
        case "conditional":
            ConditionalBenchmark.Run(BenchArguments.Parse(rest, ConditionalBenchmark.Options), "HpcTune.Bench.dll " + string.Join(' ', args));
            break;
        case "early-stopping":
            EarlyStoppingGpBenchmark.Run(BenchArguments.Parse(rest, EarlyStoppingGpBenchmark.Options));
            break;
        case "early-stopping-cost":
            EarlyStoppingCostBenchmark.Run(BenchArguments.Parse(rest, EarlyStoppingCostBenchmark.Options));
            break;
        case "constraints":
            ConstraintBenchmark.Run(BenchArguments.Parse(rest, ConstraintBenchmark.Options), "HpcTune.Bench.dll " + string.Join(' ', args));
            break;
        case "pareto":
            ParetoBenchmark.Run(BenchArguments.Parse(rest, ParetoBenchmark.Options));
            break;
        case "report-load":
            await ReportLoadBenchmark.RunAsync(BenchArguments.Parse(rest, ReportLoadBenchmark.Options), "HpcTune.Bench.dll " + string.Join(' ', args));
            break;
        case "workers-sim":
            HpcTune.Bench.Simulation.WorkersSimBenchmark.Run(BenchArguments.Parse(rest, HpcTune.Bench.Simulation.WorkersSimBenchmark.Options), "HpcTune.Bench.dll " + string.Join(' ', args));
            break;
        case "kernels":
            BenchmarkSwitcher.FromAssembly(typeof(KernelBenchmarks).Assembly).Run(rest);
            break;
        default:
            Console.WriteLine("""
                HpcTune benchmarks (Release build):
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll quality [--seeds 10] [--budget 200] [--at 50,100,200] [--functions branin,hartmann6,ackley10,rosenbrock4] [--algorithms gp,gp:qucb,gp:ucb,sobol,random] [--open 1,8] [--csv quality.csv] [--runs runs.csv] [--first-seed 1] [--parallel 1] [--speedup 50,100,200 [--speedup-csv speedup.csv]]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll latency [--sizes 100,1000,5000] [--dimension 10] [--open 63] [--linalg auto|managed|native] [--csv latency.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll gp-scale [--n 1000,2000,5000,10000,20000] [--dimension 10] [--open 63] [--models full,local] [--full-max 10000] [--steady 5] [--csv gp-scale.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll fantasy-cap [--n 2500] [--open 4000] [--dimension 10] [--caps 64,128,256,512,1024,4096] [--steady 3] [--burst 1] [--csv fantasy-cap.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll throughput [--workers 8] [--budget 200] [--objective-ms 50] [--algorithm gp] [--function hartmann6] [--seeds 3]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll master-cost [--trials 5000] [--commit-every 1,7,1000000]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll service [--clients 1,8,64] [--transports grpc-web,json,grpc-tls] [--seconds 5] [--pairs N] [--warmup-seconds 1] [--dir TMP] [--cli HpcTune.dll] [--server-env NAME=VALUE,...] [--csv service.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll service-quality [--seeds 20] [--first-seed 1] [--budget 40] [--workers 8] [--functions branin,hartmann6] [--paths service,mpi] [--cli HpcTune.dll] [--runs runs.csv] [--csv service-quality.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll pbt-toy [--seeds 20] [--first-seed 1] [--populations 2] [--generations 50] [--steps 4] [--step-size 0.01] [--quantile 0.25] [--resample 0.25] [--factors 0.8,1.2] [--output bench/results/pbt-toy.txt]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll conditional [--function branches3|tree] [--seeds 20] [--first-seed 1] [--budget 100] [--at 50,100] [--open 1,8] [--algorithms gp,gp-impute,random,sobol (any registered name)] [--parallel 1] [--output bench/results/conditional.txt]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll early-stopping [--seeds 20] [--first-seed 1] [--functions branin,hartmann6] [--step-budgets 810,2700] [--steps 27] [--open 1,4] [--reduction-factor 3] [--crossing 1] [--variants gp:ignore,gp:last,gp:pending,gp:none,random,sobol] [--csv early-stopping-gp.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll early-stopping-cost [--trials 5000] [--reports 30] [--open 16] [--rules none,median,asha] [--csv early-stopping-cost.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll constraints [--seeds 20] [--first-seed 1] [--budget 100] [--at 25,50,100] [--open 1,8] [--algorithms gp,gp-blind,sobol,random] [--failure-algorithms gp,gp-blind,sobol,random] [--failure-budget 30] [--parts toy,failures] [--parallel 1] [--output bench/results/constraints.txt]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll pareto [--problems zdt1,dtlz2,branin-currin] [--algorithms gp,gp:parego,random,sobol] [--seeds 20] [--first-seed 1] [--open 1,8] [--at 50,100,200] [--parallel 1] [--csv pareto.csv]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll report-load [--trials 10000] [--workers 16] [--repeats 5] [--cli HpcTune.dll] [--chromium /usr/bin/chromium] [--output bench/results/report.txt] [--html old.html,new.html (compare existing reports, in turn)]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll workers-sim [--workers 64,256,1024,4096] [--rounds 4] [--algorithms random,sobol,gp] [--function ackley10] [--mean-s 60] [--sigma 0.5] [--group 0 (0: all waiting, as MpiMaster asks)] [--seed 1] [--cost cpu|wall|zero] [--dir /dev/shm] [--output bench/results/workers-sim.txt] [--fantasies 256 (the GP's cap on open trials fantasized; 0: all)]
                  dotnet artifacts/bin/HpcTune.Bench/release/HpcTune.Bench.dll kernels [BenchmarkDotNet options, e.g. --filter '*']
                """);
            break;
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"HpcTune.Bench: {e.Message}"); // a bad argument: its message, not a stack trace
    Environment.ExitCode = 2;
}
