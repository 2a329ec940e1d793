using HpcTune.Space;
using HpcTune.Study;

namespace HpcTune.Objectives;

/// <summary>
/// A standard optimization test function with a known minimum, for demos and benchmarks. Parameters are
/// named <c>x1..xd</c>; the metric is <c>value</c>, minimized.
/// </summary>
public abstract class TestFunction : IObjective
{
    /// <summary>The metric name the study uses.</summary>
    public const string MetricName = "value";

    /// <summary>Name including the dimension where it varies (e.g. <c>ackley10</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Number of inputs.</summary>
    public abstract int Dimension { get; }

    /// <summary>Lower bound of input <paramref name="i"/>.</summary>
    public abstract double LowerBound(int i);

    /// <summary>Upper bound of input <paramref name="i"/>.</summary>
    public abstract double UpperBound(int i);

    /// <summary>The global minimum value.</summary>
    public abstract double Minimum { get; }

    /// <summary>A point where the minimum is reached.</summary>
    public abstract IReadOnlyList<double> Minimizer { get; }

    /// <summary>The function value at <paramref name="x"/>.</summary>
    public abstract double Evaluate(ReadOnlySpan<double> x);

    /// <summary>A study of this function: parameters x1..xd over its box, metric <c>value</c> minimized.</summary>
    public StudyDefinition CreateStudy(int observationBudget, int parallelBandwidth = 1, AlgorithmSpec? algorithm = null) =>
        new(Name,
            Enumerable.Range(0, Dimension).Select(i => ParameterDefinition.Double($"x{i + 1}", LowerBound(i), UpperBound(i))),
            [new MetricDefinition(MetricName, MetricObjective.Minimize)],
            observationBudget,
            parallelBandwidth,
            algorithm: algorithm);

    /// <inheritdoc/>
    public ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        Span<double> x = stackalloc double[Dimension];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = trial.Assignment.GetDouble($"x{i + 1}");
        }

        return ValueTask.FromResult(ObjectiveResult.Success(MetricName, Evaluate(x)));
    }

    /// <summary>Throws when <paramref name="x"/> has the wrong length.</summary>
    protected void CheckLength(ReadOnlySpan<double> x)
    {
        if (x.Length != Dimension)
        {
            throw new ArgumentException($"{Name} takes {Dimension} inputs, got {x.Length}", nameof(x));
        }
    }
}
