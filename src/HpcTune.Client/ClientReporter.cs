using HpcTune.Objectives;

namespace HpcTune.Client;

/// <summary>A network worker's trial reports, sent to the server; a stop answer also ends the evaluation.</summary>
internal sealed class ClientReporter(ExperimentClient client, TrialStop stop) : ITrialReporter
{
    public async ValueTask<ReportAnswer> ReportAsync(long trialId, long atStep, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken)
    {
        var outcome = await client.ReportAsync(trialId, atStep, values, cancellationToken).ConfigureAwait(false);
        var reason = outcome.Reason.Length > 0 ? outcome.Reason : null;
        if (outcome.Stop)
        {
            await stop.StopAsync(reason ?? $"trial {trialId} was stopped").ConfigureAwait(false);
        }

        return new ReportAnswer(outcome.Stop, reason, outcome.Recorded);
    }
}
