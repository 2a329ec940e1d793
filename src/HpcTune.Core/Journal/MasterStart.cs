using HpcTune.Tuning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HpcTune.Journal;

/// <summary>
/// What every master does first on a checkpoint it holds, whether it runs threads, MPI ranks or a library user's own
/// workers: restore the study, raise the budget if asked, hand the suggestions left open by the last master out again
/// first, and record this start. <see cref="Checkpoint.Resume"/> calls it.
/// </summary>
public static class MasterStart
{
    /// <summary>
    /// A tuner over <paramref name="checkpoint"/>'s study whose events go to its journal, with the observation budget
    /// raised to <paramref name="observationBudget"/> (journaled), every trial still open interrupted (its worker is
    /// gone: it is the next one handed out) and <paramref name="run"/> recorded (by default: this process, "in-process").
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="observationBudget"/> is below the recorded budget.</exception>
    public static Tuner Begin(Checkpoint checkpoint, TunerOptions? options = null, int? observationBudget = null, RunInfo? run = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var recorded = checkpoint.State.Definition.ObservationBudget;
        if (observationBudget < recorded)
        {
            throw new ArgumentOutOfRangeException(nameof(observationBudget), observationBudget, $"the observation budget can only be raised on resume: recorded {recorded}, given {observationBudget}");
        }

        var tuner = checkpoint.CreateTuner(options);
        if (observationBudget is { } budget && budget != recorded)
        {
            tuner.SetObservationBudget(budget);
        }

        var reissued = tuner.InterruptOpen("the master stopped before the result arrived");
        if (reissued > 0)
        {
            (options?.Logger ?? NullLogger.Instance).Reissuing(reissued);
        }

        checkpoint.Writer.AppendRun(run ?? new RunInfo(DateTimeOffset.UtcNow, Environment.MachineName, Environment.ProcessId, "in-process", null, null));
        return tuner;
    }
}
