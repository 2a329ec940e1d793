using System.Diagnostics;
using HpcTune.Objectives;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Transport;

/// <summary>
/// Workers as tasks in this process (Orion's <c>workon</c>): <c>thread-1</c> … <c>thread-N</c> each join the hub, ask
/// for a trial, evaluate <paramref name="objective"/>, report, and leave when the study is finished. An exception or a
/// non-finite value from the objective makes a Failed trial with the message. When the run is cancelled the trials
/// being evaluated are released (Interrupted) and <see cref="OperationCanceledException"/> is thrown. The objective
/// gets a token that is cancelled then, when its trial was finished elsewhere (lease lost), or when the study stopped
/// it (pruned). A stopped objective winds down while its worker takes the next trial and is waited for (up to 10 s)
/// before the worker leaves, so that the run does not end with a pruned trial's program still running; otherwise one
/// that ignores its token is not waited for: it goes on in the background and its result is dropped.
/// </summary>
internal sealed class ThreadTransport(IObjective objective, int workers, ILogger logger) : IWorkerTransport
{
    /// <inheritdoc/>
    public async Task<StudySummary> ServeAsync(WorkerHub hub, CancellationToken abandoning)
    {
        ArgumentNullException.ThrowIfNull(hub);
        var clock = Stopwatch.StartNew();
        var running = new RunningEvaluations();
        var loops = Enumerable.Range(1, workers)
            .Select(i => Task.Run(() => new InProcessWorker(hub, objective, WorkerId.Thread(i), running, logger).RunAsync(abandoning), CancellationToken.None))
            .ToArray();
        var all = Task.WhenAll(loops);
        if (hub.HeartbeatInterval is { } every)
        {
            // Trials given to workers outside this process (library users) can lose their lease too.
            while (await Task.WhenAny(all, Task.Delay(every, hub.Tuner.Time, CancellationToken.None)).ConfigureAwait(false) != all)
            {
                hub.ExpireLeases();
            }
        }

        await all.ConfigureAwait(false);
        return hub.Tuner.Summary(clock.Elapsed);
    }
}
