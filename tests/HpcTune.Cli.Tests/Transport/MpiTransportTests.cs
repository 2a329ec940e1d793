using System.Diagnostics;

namespace HpcTune.Cli.Tests.Transport;

/// <summary>The conformance suite for MPI: rank 0 the master, N worker ranks, under a real <c>mpiexec</c>.</summary>
[Collection("mpi")]
public sealed class MpiTransportTests : TransportConformance
{
    protected override string FirstWorker => "rank-1";

    protected override Process Start(string directory, int workers, IReadOnlyDictionary<string, string>? environment, string[] arguments) =>
        MpiLauncher.Start(directory, workers + 1, environment, arguments);

    protected override void RequestStop(Process job) => MpiLauncher.SignalProcess(job.Id, "USR1");

    protected override void Kill(Process job) => MpiLauncher.Signal(job, "KILL");
}
