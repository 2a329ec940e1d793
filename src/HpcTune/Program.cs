using System.CommandLine;
using HpcTune.Cli.Commands;

var root = new RootCommand("HpcTune: distributed Bayesian optimization of expensive functions.")
{
    DemoCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
