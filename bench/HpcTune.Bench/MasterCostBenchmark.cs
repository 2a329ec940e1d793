using System.Diagnostics;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench;

/// <summary>
/// What one trial costs the master outside MPI: suggest + report through a journaled tuner, with the journal
/// committed (fsync) every trial or every k trials, as the MPI master's group commit does. Separates the per-trial
/// CPU cost from the transport when reading bench/mpi-dispatch.sh's figure.
/// </summary>
internal static class MasterCostBenchmark
{
    /// <summary>The options <c>master-cost</c> takes.</summary>
    public static readonly string[] Options = ["trials", "commit-every"];

    public static void Run(BenchArguments arguments)
    {
        var trials = arguments.Int("trials", 5000, min: 1);
        var function = TestFunctions.Get("branin");
        foreach (var every in arguments.Ints("commit-every", "1,7,1000000", min: 1))
        {
            var directory = Directory.CreateTempSubdirectory("hpctune-master-cost-").FullName;
            try
            {
                var definition = function.CreateStudy(trials, 7, new AlgorithmSpec("random", 1));
                using var checkpoint = Checkpoint.Create(Path.Combine(directory, "ckpt"), definition);
                checkpoint.Writer.SyncEachRecord = false;
                var tuner = checkpoint.CreateTuner();
                var clock = Stopwatch.StartNew();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                for (var i = 0; i < trials; i++)
                {
                    var trial = tuner.Suggest("w").Trial!;
                    var result = function.EvaluateAsync(new TrialContext(trial.Id, trial.Assignment, "w", 1), CancellationToken.None).AsTask().Result;
                    tuner.Report(trial.Id, result);
                    if ((i + 1) % every == 0)
                    {
                        checkpoint.Writer.Commit();
                    }
                }

                checkpoint.Writer.Commit();
                var seconds = clock.Elapsed.TotalSeconds;
                var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                Console.WriteLine($"commit every {every,7} trials: {trials / seconds,8:F0} trials/s, {1e6 * seconds / trials,7:F1} us wall and {1e6 * cpuSeconds / trials,7:F1} us CPU per trial");
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }
}
