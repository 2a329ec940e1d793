using HpcTune.Space;

namespace HpcTune.Objectives;

/// <summary>Objectives made from ordinary functions.</summary>
public static class Objective
{
    /// <summary>An objective that computes one metric synchronously.</summary>
    public static IObjective FromFunction(string metric, Func<Assignment, double> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new DelegateObjective((trial, _) => ValueTask.FromResult(ObjectiveResult.Success(metric, function(trial.Assignment))));
    }

    /// <summary>An objective from an asynchronous function.</summary>
    public static IObjective FromAsync(Func<TrialContext, CancellationToken, ValueTask<ObjectiveResult>> function) =>
        new DelegateObjective(function ?? throw new ArgumentNullException(nameof(function)));

    private sealed class DelegateObjective(Func<TrialContext, CancellationToken, ValueTask<ObjectiveResult>> function) : IObjective
    {
        public ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken) => function(trial, cancellationToken);
    }
}
