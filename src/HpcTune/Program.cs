using System.CommandLine;
using HpcTune.Cli;
using HpcTune.Cli.Commands;
using Microsoft.Extensions.Logging;

HpcTune.Gp.Sampling.GpSampler.Register();
var (arguments, commandArgv) = CommandLineSplit.Split(args);
using var logging = LoggerFactory.Create(builder => builder
    .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace) // stdout carries results; diagnostics go to stderr
    .AddSimpleConsole(o => o.SingleLine = true)
    .SetMinimumLevel(LogLevel.Warning));

var root = new RootCommand("HpcTune: distributed Bayesian optimization of expensive functions.")
{
    RunCommands.CreateRun(commandArgv, logging),
    RunCommands.CreateResume(commandArgv, logging),
    StatusCommand.Create(),
    ExportCommand.Create(),
    OpenCommand.Create(),
    DemoCommand.Create(),
};

var parsed = root.Parse(arguments);
var verb = parsed.CommandResult.Command;
if (parsed.Errors.Count == 0 && commandArgv is not null && verb.Name is not ("run" or "resume"))
{
    Console.Error.WriteLine($"error: {CommandLineSplit.CommandToken} belongs to run and resume, not '{verb.Name}'");
    return ExitCodes.UsageError;
}

if (parsed.Errors.Count > 0)
{
    // System.CommandLine would exit 1, which the contract reserves for a broken study.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    Console.Error.WriteLine($"Run 'HpcTune {(verb == root ? "" : verb.Name + " ")}--help' for usage.");
    return ExitCodes.UsageError;
}

// Signals are handled by the verbs that run studies (journal, then exit 3), not by System.CommandLine.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
