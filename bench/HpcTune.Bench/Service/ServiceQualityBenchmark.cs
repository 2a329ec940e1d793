using System.Diagnostics;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Study;

namespace HpcTune.Bench.Service;

/// <summary>
/// <c>service-quality</c>: does a study driven by network workers reach the same regret as one driven by MPI ranks?
/// For each function and seed the same GP study (budget B, W trials open at once) runs twice: (a) a real
/// <c>HpcTune serve</c> process with W workers in this process, each on its own gRPC-Web channel looping suggest →
/// evaluate the built-in test function → observe until the study is finished; (b) <c>mpiexec -n W+1 HpcTune run
/// --objective builtin:FUNCTION</c>. The simple regret is read from each checkpoint afterwards (best value − the
/// function's minimum), so both paths are judged by what their master recorded.
/// </summary>
internal static class ServiceQualityBenchmark
{
    /// <summary>The options <c>service-quality</c> takes.</summary>
    public static readonly string[] Options = ["seeds", "first-seed", "budget", "workers", "functions", "paths", "cli", "dir", "runs", "csv"];

    public static async Task RunAsync(BenchArguments arguments)
    {
        var seeds = arguments.Int("seeds", 20, min: 1);
        var firstSeed = arguments.Int("first-seed", 1, min: 0);
        var budget = arguments.Int("budget", 40, min: 1);
        var workers = arguments.Int("workers", 8, min: 1);
        var functions = arguments.List("functions", "branin,hartmann6").Select(TestFunctions.Get).ToArray();
        var paths = arguments.List("paths", "service,mpi").ToArray();
        if (paths.FirstOrDefault(p => p is not ("service" or "mpi")) is { } unknown)
        {
            throw new ArgumentException($"--paths: unknown path '{unknown}'; known: service, mpi");
        }

        var root = arguments.Text("dir", Path.GetTempPath());
        var cli = ServeProcess.ResolveCli(arguments.Has("cli") ? arguments.Text("cli", "") : null);
        var runs = new List<string[]>();
        var regrets = new Dictionary<(string Function, string Path), List<(double Regret, double Seconds)>>();
        foreach (var function in functions)
        {
            for (var seed = firstSeed; seed < firstSeed + seeds; seed++)
            {
                foreach (var path in paths)
                {
                    var directory = Directory.CreateDirectory(Path.Combine(root, "hpctune-service-quality-" + Path.GetRandomFileName())).FullName;
                    try
                    {
                        var study = function.CreateStudy(budget, workers, new AlgorithmSpec("gp", seed));
                        var clock = Stopwatch.StartNew();
                        if (path == "service")
                        {
                            await RunServedAsync(cli, directory, study, function, workers).ConfigureAwait(false);
                        }
                        else
                        {
                            await RunMpiAsync(cli, directory, study, function, workers).ConfigureAwait(false);
                        }

                        var seconds = clock.Elapsed.TotalSeconds;
                        var regret = Regret(Path.Combine(directory, "ckpt"), function, budget);
                        runs.Add([function.Name, path, seed.ToString(), Table.Number(regret), Table.Number(seconds)]);
                        Console.Error.WriteLine($"{function.Name} {path} seed {seed}: regret {regret:G4} in {seconds:F1} s");
                        var key = (function.Name, path);
                        if (!regrets.TryGetValue(key, out var list))
                        {
                            regrets[key] = list = [];
                        }

                        list.Add((regret, seconds));
                    }
                    finally
                    {
                        Directory.Delete(directory, recursive: true);
                    }
                }
            }
        }

        if (arguments.Has("runs"))
        {
            Table.Write(["function", "path", "seed", "regret", "wall_s"], runs, arguments.Text("runs", "runs.csv"));
        }

        var rows = regrets.Select(pair =>
        {
            var sorted = pair.Value.Select(r => r.Regret).Order().ToArray();
            return new[]
            {
                pair.Key.Function, pair.Key.Path, workers.ToString(), budget.ToString(), sorted.Length.ToString(),
                Table.Number(Quantile(sorted, 0.5)), Table.Number(Quantile(sorted, 0.25)), Table.Number(Quantile(sorted, 0.75)),
                Table.Number(pair.Value.Average(r => r.Seconds)),
            };
        }).ToList();
        Table.Emit(["function", "path", "workers", "budget", "seeds", "median_regret", "q1", "q3", "wall_s_per_run"], rows, arguments.Text("csv", "service-quality.csv"));
    }

    /// <summary>A served study with <paramref name="workers"/> gRPC-Web workers in this process until it is finished.</summary>
    private static async Task RunServedAsync(string cli, string directory, StudyDefinition study, TestFunction function, int workers)
    {
        await using var server = await ServeProcess.StartAsync(cli, directory, study, [], TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var clients = Enumerable.Range(0, workers).Select(i => PairClients.Connect(ServiceTransport.GrpcWeb, server, $"quality-{i}", function.Dimension, 30, null)).ToArray();
        try
        {
            await Task.WhenAll(clients.Select(c => Task.Run(async () =>
            {
                while (await c.SuggestAsync(CancellationToken.None).ConfigureAwait(false) is { } trial)
                {
                    await c.ObserveAsync(trial.Id, function.Evaluate(trial.X), CancellationToken.None).ConfigureAwait(false);
                }
            }))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary><c>mpiexec -n workers+1 dotnet HpcTune.dll run</c> on the same study, the built-in function as objective.</summary>
    private static async Task RunMpiAsync(string cli, string directory, StudyDefinition study, TestFunction function, int workers)
    {
        var studyFile = Path.Combine(directory, "study.json");
        await File.WriteAllTextAsync(studyFile, StudyDefinitionJson.Write(study)).ConfigureAwait(false);
        var start = new ProcessStartInfo("mpiexec") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--oversubscribe", "-n", (workers + 1).ToString(), "dotnet", cli, "run", "--study", studyFile, "--checkpoint", Path.Combine(directory, "ckpt"), "--objective", $"builtin:{function.Name}"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("mpiexec did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mpiexec run exited with {process.ExitCode}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
    }

    /// <summary>Best recorded value − the function's minimum; the study must have used its whole budget.</summary>
    private static double Regret(string checkpoint, TestFunction function, int budget)
    {
        using var held = Checkpoint.Open(checkpoint);
        var state = held.State;
        if (state.CompletedCount != budget)
        {
            throw new InvalidOperationException($"{checkpoint}: {state.CompletedCount} trials completed, expected the budget {budget}");
        }

        return state.Best!.Values![TestFunction.MetricName] - function.Minimum;
    }

    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }
}
