using HpcTune.Objectives;
using HpcTune.Space;

namespace HpcTune.Tuning;

// The tuner, part: The in-process runner: worker threads that evaluate an objective until the study ends.
public sealed partial class Tuner
{
    /// <summary>
    /// Runs the study to its end with <paramref name="workers"/> concurrent tasks in this process (Orion's
    /// <c>workon</c>): each asks for a trial, evaluates <paramref name="objective"/>, and reports. An exception
    /// or a non-finite value from the objective makes a Failed trial with the message. On cancellation the
    /// trials being evaluated are released (Interrupted) and <see cref="OperationCanceledException"/> is thrown.
    /// The objective gets a token that is cancelled then, or when its trial was finished elsewhere (lease lost); one
    /// that ignores it is not waited for: it goes on in the background and its result is dropped.
    /// </summary>
    public Task<StudySummary> OptimizeAsync(IObjective objective, int workers, CancellationToken cancellationToken = default) =>
        new InProcessRun(this, objective, workers, _logger).RunAsync(cancellationToken);

    /// <summary>The summary of the study now, for a run that took <paramref name="elapsed"/>.</summary>
    internal StudySummary Summary(TimeSpan elapsed)
    {
        lock (_lock)
        {
            return new StudySummary(_state.Progress, _state.Best, elapsed);
        }
    }

    /// <summary>
    /// Runs the study to its end like <see cref="OptimizeAsync(IObjective, int, CancellationToken)"/> with a plain
    /// function that returns the objective metric's value; an exception it throws is a Failed trial.
    /// </summary>
    /// <example>
    /// <code>
    /// var tuner = new Tuner(StudyDefinitionJson.Load("study.json"));
    /// var summary = await tuner.OptimizeAsync(a => Math.Pow(a.GetDouble("x") - 0.5, 2), workers: 4);
    /// </code>
    /// </example>
    public Task<StudySummary> OptimizeAsync(Func<Assignment, double> objective, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return OptimizeAsync(Objective.FromFunction(Definition.Objective.Name, objective), workers, cancellationToken);
    }

    /// <summary>
    /// Runs the study to its end with an asynchronous function that returns the objective metric's value; its token is
    /// cancelled when the run is, or when its trial was finished elsewhere (see <see cref="OptimizeAsync(IObjective, int, CancellationToken)"/>).
    /// </summary>
    /// <example>
    /// <code>
    /// var summary = await tuner.OptimizeAsync(async (a, ct) => await TrainAsync(a.GetDouble("lr"), ct), workers: 8);
    /// </code>
    /// </example>
    public Task<StudySummary> OptimizeAsync(Func<Assignment, CancellationToken, Task<double>> objective, int workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var metric = Definition.Objective.Name;
        return OptimizeAsync(Objective.FromAsync(async (trial, ct) => ObjectiveResult.Success(metric, await objective(trial.Assignment, ct).ConfigureAwait(false))), workers, cancellationToken);
    }
}
