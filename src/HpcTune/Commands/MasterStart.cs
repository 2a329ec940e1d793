using HpcTune.Journal;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>What every master (threads or MPI rank 0) does first on an open checkpoint.</summary>
internal static class MasterStart
{
    /// <summary>
    /// A tuner over the checkpoint, with the budget raised if asked, the suggestions left open by the last master
    /// interrupted (they go out again first), and this start recorded in the journal.
    /// </summary>
    public static Tuner Begin(Checkpoint checkpoint, ObjectiveChoice choice, StopSettings settings, int? raiseBudgetTo, int suggestAhead, ILogger logger)
    {
        var tuner = checkpoint.CreateTuner(new TunerOptions
        {
            Logger = logger,
            SuggestAhead = suggestAhead,
            LeasePeriod = settings.Lease,
            TrialTimeout = choice.TrialTimeoutSeconds is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
        });
        if (raiseBudgetTo is { } budget && budget != tuner.Definition.ObservationBudget)
        {
            tuner.SetObservationBudget(budget); // journaled like every other change
        }

        var reissued = tuner.InterruptOpen("the master stopped before the result arrived");
        if (reissued > 0)
        {
            logger.Reissuing(reissued);
        }

        checkpoint.Writer.AppendRun(new RunInfo(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessId, choice.Describe, choice.Command, choice.TrialTimeoutSeconds));
        return tuner;
    }
}
