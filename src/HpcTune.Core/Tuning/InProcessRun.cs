using System.Diagnostics;
using HpcTune.Objectives;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>
/// <see cref="Tuner.OptimizeAsync(Objectives.IObjective, int, CancellationToken)"/>: <c>workers</c> concurrent loops in this process (Orion's <c>workon</c>), each
/// asking for a trial, evaluating the objective and reporting, until the study ends; with leases, it also expires the
/// leases of trials handed to workers outside this process. A result whose metric names do not match the study's
/// stops every worker at once and is thrown (<see cref="ResultMismatchException"/>).
/// </summary>
internal sealed class InProcessRun(Tuner tuner, IObjective objective, int workers, ILogger logger)
{
    public async Task<StudySummary> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        var clock = Stopwatch.StartNew();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tuner.Mismatched);
        var loops = Enumerable.Range(1, workers)
            .Select(i => Task.Run(() => new InProcessWorker(tuner, objective, $"thread-{i}", logger).RunAsync(run.Token), CancellationToken.None))
            .ToArray();
        var all = Task.WhenAll(loops);
        if (tuner.HeartbeatInterval is { } every)
        {
            // Trials given to workers outside this process (library users) can lose their lease too.
            while (await Task.WhenAny(all, Task.Delay(every, tuner.Time, CancellationToken.None)).ConfigureAwait(false) != all)
            {
                tuner.ExpireLeases();
            }
        }

        try
        {
            await all.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (tuner.ResultMismatch is { } mismatch && !cancellationToken.IsCancellationRequested)
        {
            throw mismatch; // results whose metric names do not match the study's stopped every worker
        }

        return tuner.Summary(clock.Elapsed);
    }
}
