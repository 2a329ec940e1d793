using System.CommandLine;
using HpcTune.Cli;
using HpcTune.Cli.Commands;
using HpcTune.Cli.Commands.Remote;
using HpcTune.Cli.Display;

Terminal.Prepare(); // before anything is written: an MPI rank's pseudo-terminal gets no control codes
HpcTune.Gp.Sampling.GpSampler.Register();
HpcTune.Search.SearchAlgorithms.Register();
var (arguments, commandArgv) = CommandLineSplit.Split(args);
using var logging = new CliOutput(); // configured once the command line is parsed

var linearAlgebra = new Option<string?>("--linalg") { Description = "Linear algebra for the GP: auto (native when libhpctune_la loads), managed or native. Default: HPCTUNE_LINALG, else auto.", Recursive = true };
var blasThreads = new Option<int?>("--blas-threads") { Description = "BLAS threads of this process (default: its cores, divided among the MPI ranks started on its node), so many ranks on a node do not oversubscribe it.", Recursive = true };

var root = new RootCommand("HpcTune: distributed Bayesian optimization of expensive functions.")
{
    linearAlgebra,
    blasThreads,
    logging.LogFormat,
    RunCommands.CreateRun(commandArgv, logging),
    RunCommands.CreateResume(commandArgv, logging),
    StatusCommand.Create(),
    RepairCommand.Create(),
    ExportCommand.Create(),
    ReportCommand.Create(),
    OpenCommand.Create(),
    InsertCommand.Create(logging),
    DemoCommand.Create(logging),
    ServeCommand.Create(commandArgv, logging),
    WorkerCommand.Create(commandArgv, logging),
    AskCommand.Create(logging),
    TellCommand.Create(logging),
    TrialsCommand.Create(logging),
};

var parsed = root.Parse(arguments);
var verb = parsed.CommandResult.Command;
if (parsed.Errors.Count == 0 && commandArgv is not null && verb.Name is not ("run" or "resume" or "serve" or "worker"))
{
    Console.Error.WriteLine($"error: {CommandLineSplit.CommandToken} belongs to run, resume, serve and worker, not '{verb.Name}'");
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

try
{
    logging.Configure(parsed);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return ExitCodes.UsageError;
}

// A worker rank of an MPI job never fits a model: loading and starting OpenBLAS there only took CPU from the first
// round, which every rank of a job starts at once (docs/mpi.md, "The job's edges"). Rank 0 checks the options.
var needsLinearAlgebra = verb.Name is "run" or "resume" or "demo" or "serve" or "worker"
    && !(verb.Name is "run" or "resume" or "serve" && HpcTune.Mpi.Interop.MpiWorld.LauncherWorkerRank());
if (needsLinearAlgebra && !arguments.Any(a => a is "--help" or "-h" or "-?"))
{
    try
    {
        HpcTune.Gp.LinearAlgebra.LinearAlgebraProviders.Configure(parsed.GetValue(linearAlgebra), parsed.GetValue(blasThreads) ?? CoreShare.PerRank(), logging.CreateLogger("HpcTune"));
    }
    catch (ArgumentException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return ExitCodes.UsageError;
    }
}

// Signals are handled by the verbs that run studies (journal, then exit 3), not by System.CommandLine.
return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
