using HpcTune.Tuning;

namespace HpcTune.Transport;

/// <summary>
/// A way for workers to reach a study's master: in-process threads, MPI ranks, or (next) network workers. A transport
/// turns what its workers send into <see cref="WorkerHub"/> calls and delivers the answers; every transport passes
/// the same conformance suite (tests/HpcTune.Cli.Tests/TransportConformance.cs; docs/transport.md).
/// </summary>
public interface IWorkerTransport
{
    /// <summary>
    /// Serves <paramref name="hub"/>'s study until every worker of this transport has been stopped or has left. Workers
    /// stop when the hub answers Finished: the study ended, or <see cref="WorkerHub.StopHandingOut"/> drains it
    /// (results in flight still count). When <paramref name="abandoning"/> is cancelled the workers are stopped at once
    /// and the trials they hold become Interrupted, to go out first in the next run.
    /// </summary>
    Task<StudySummary> ServeAsync(WorkerHub hub, CancellationToken abandoning);
}
