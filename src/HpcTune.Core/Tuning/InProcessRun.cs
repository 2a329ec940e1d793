using HpcTune.Objectives;
using HpcTune.Transport;
using Microsoft.Extensions.Logging;

namespace HpcTune.Tuning;

/// <summary>
/// <see cref="Tuner.OptimizeAsync(IObjective, int, CancellationToken)"/>: <c>workers</c> threads of this process
/// (<see cref="ThreadTransport"/>) served through a <see cref="WorkerHub"/>, as any transport's workers are. A result
/// whose metric names do not match the study's stops every worker at once and is thrown
/// (<see cref="ResultMismatchException"/>); what they held goes out first in the next run.
/// </summary>
internal sealed class InProcessRun(Tuner tuner, IObjective objective, int workers, ILogger logger)
{
    public async Task<StudySummary> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, tuner.Mismatched);
        try
        {
            return await new ThreadTransport(objective, workers, logger).ServeAsync(new WorkerHub(tuner, logger), run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (tuner.ResultMismatch is { } mismatch && !cancellationToken.IsCancellationRequested)
        {
            throw mismatch;
        }
    }
}
