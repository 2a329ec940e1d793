using System.CommandLine;
using HpcTune.Cli.Display;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Cli.Commands;

/// <summary><c>HpcTune demo</c>: the embedded default study, in process, with live progress.</summary>
internal static class DemoCommand
{
    public static Command Create(CliOutput output)
    {
        var objective = new Option<string>("--objective") { Description = $"Built-in function to minimize: {TestFunctions.Help}.", DefaultValueFactory = _ => "hartmann6" };
        var budget = new Option<int>("--budget") { Description = "Completed observations to reach.", DefaultValueFactory = _ => 60 };
        var workers = new Option<int>("--workers") { Description = "In-process worker threads.", DefaultValueFactory = _ => 4 };
        var algorithm = new Option<string>("--algorithm") { Description = "Sampler: gp, sobol or random.", DefaultValueFactory = _ => "gp" };
        var seed = new Option<long?>("--seed") { Description = "Seed of the sampler (default: random)." };
        var command = new Command("demo", """
            Run the embedded default study: a built-in objective tuned in process by worker threads,
            with live progress, ending with the best trial.

            Example:
              dotnet HpcTune.dll demo --objective branin --budget 40 --workers 2 --seed 7
            """)
        {
            objective, budget, workers, algorithm, seed, output.Quiet,
        };
        command.SetAction((parse, cancellationToken) => CliErrors.Guard(() => RunAsync(
            TestFunctions.Get(parse.GetValue(objective)!),
            parse.GetValue(budget),
            parse.GetValue(workers),
            new AlgorithmSpec(parse.GetValue(algorithm)!, parse.GetValue(seed)),
            output,
            cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(TestFunction function, int budget, int workers, AlgorithmSpec algorithm, CliOutput output, CancellationToken cancellationToken)
    {
        WorkerCount.Validate(workers);

        var definition = function.CreateStudy(budget, parallelBandwidth: workers, algorithm);
        var tuner = new Tuner(definition);
        var display = output.Display(output.CreateLogger("HpcTune"));
        var summary = await display.RunAsync(tuner, () => tuner.OptimizeAsync(function, workers, cancellationToken)).ConfigureAwait(false);
        SummaryPrinter.Print(tuner.Definition, summary, Console.Out);
        Console.Out.WriteLine($"known minimum of {function.Name}: {function.Minimum:G6}; simple regret: {(summary.Best is { } best ? best.Values![TestFunction.MetricName] - function.Minimum : double.NaN):G4}");
        return summary.Progress.Status == StudyStatus.Broken ? ExitCodes.Broken : ExitCodes.Done;
    }
}
