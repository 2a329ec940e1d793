using System.CommandLine;
using HpcTune.Cli;
using HpcTune.Cli.Commands;

var root = new RootCommand("HpcTune: distributed Bayesian optimization of expensive functions.")
{
    DemoCommand.Create(),
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // System.CommandLine would exit 1, which the contract reserves for a broken study.
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }

    var verb = parsed.CommandResult.Command == root ? "" : parsed.CommandResult.Command.Name + " ";
    Console.Error.WriteLine($"Run 'HpcTune {verb}--help' for usage.");
    return ExitCodes.UsageError;
}

return await parsed.InvokeAsync();
