using System.Globalization;
using HpcTune.Objectives;

namespace HpcTune.Bench.Population;

/// <summary>
/// The toy problem of the PBT paper (Jaderberg et al. 2017, figure 2): maximize Q(θ) = 1.2 − (θ₀² + θ₁²) while
/// training only on the surrogate Q̂(θ | h) = 1.2 − (h₀θ₀² + h₁θ₁²), by gradient ascent θᵢ ← θᵢ − η · 2hᵢθᵢ from
/// θ = (0.9, 0.9). The hyperparameters h₀, h₁ are the trial's parameters <c>h0</c>, <c>h1</c>; the trial's state θ is
/// its checkpoint, a file <c>theta.txt</c> in its checkpoint directory. A trial of a population trains its segment
/// (<c>start_step</c> to <c>end_step</c>) from its parent's θ, which the worker copied into the directory; a trial without
/// a lineage (random search) trains <see cref="StepsWithoutLineage"/> steps from the start. Q is reported every step
/// and the trial's value is Q at its last step (Q only grows along a run, so that is the run's best).
/// </summary>
/// <param name="StepSize">η, the gradient step.</param>
/// <param name="StepsWithoutLineage">Steps of a trial that has no place in a population.</param>
internal sealed record ToyQuadratic(double StepSize, long StepsWithoutLineage) : IObjective
{
    /// <summary>The metric's name.</summary>
    public const string Metric = "q";

    /// <summary>The maximum of Q.</summary>
    public const double Optimum = 1.2;

    /// <summary>θ at step 0, as in the paper.</summary>
    public static (double Theta0, double Theta1) Start => (0.9, 0.9);

    private const string StateFile = "theta.txt";

    /// <summary>Q(θ), the true objective.</summary>
    public static double Q(double theta0, double theta1) => Optimum - ((theta0 * theta0) + (theta1 * theta1));

    /// <inheritdoc/>
    public async ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var (h0, h1) = (trial.Assignment["h0"].Number, trial.Assignment["h1"].Number);
        var (first, last) = trial.Lineage is { StartStep: { } s, EndStep: { } e } ? (s, e) : (0L, StepsWithoutLineage);
        var (theta0, theta1) = trial.ParentCheckpointDirectory is null || trial.CheckpointDirectory is null
            ? Start
            : Read(trial.CheckpointDirectory);
        var q = Q(theta0, theta1);
        for (var step = first + 1; step <= last; step++)
        {
            theta0 -= StepSize * 2 * h0 * theta0;
            theta1 -= StepSize * 2 * h1 * theta1;
            q = Q(theta0, theta1);
            await trial.ReportAsync(step, new Dictionary<string, double> { [Metric] = q }, cancellationToken).ConfigureAwait(false);
        }

        if (trial.CheckpointDirectory is { } directory)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, StateFile),
                string.Create(CultureInfo.InvariantCulture, $"{theta0:R} {theta1:R}"), cancellationToken).ConfigureAwait(false);
        }

        return ObjectiveResult.Success(Metric, q);
    }

    private static (double, double) Read(string directory)
    {
        var parts = File.ReadAllText(Path.Combine(directory, StateFile)).Split(' ');
        return (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture));
    }
}
