using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.Evolution;

/// <summary>
/// How good a completed trial is, for a tournament: a feasible trial beats every infeasible one; feasible trials
/// compare by the objective; infeasible ones by their total violation of the constraints' thresholds, then by the
/// objective. A trial without a finite objective value has no fitness and is no member of the population.
/// </summary>
/// <param name="Violation">The summed amount by which constraints miss their thresholds; 0 when feasible; infinity when a constraint value is missing.</param>
/// <param name="Loss">The objective, signed so that smaller is better.</param>
internal readonly record struct Fitness(double Violation, double Loss) : IComparable<Fitness>
{
    /// <summary>The fitness of <paramref name="trial"/> under <paramref name="definition"/>, or null when it has no finite objective value.</summary>
    public static Fitness? Of(StudyDefinition definition, Trial trial)
    {
        var objective = definition.Objective;
        if (trial.Values is not { } values || !values.TryGetValue(objective.Name, out var value) || !double.IsFinite(value))
        {
            return null;
        }

        var violation = 0.0;
        foreach (var metric in definition.Metrics)
        {
            if (metric.Strategy != MetricStrategy.Constraint)
            {
                continue;
            }

            if (!values.TryGetValue(metric.Name, out var measured) || double.IsNaN(measured))
            {
                violation = double.PositiveInfinity;
                continue;
            }

            var threshold = metric.Threshold!.Value;
            violation += Math.Max(0, metric.Objective == MetricObjective.Maximize ? threshold - measured : measured - threshold);
        }

        return new Fitness(violation, objective.Objective == MetricObjective.Maximize ? -value : value);
    }

    /// <summary>True when no constraint is violated.</summary>
    public bool IsFeasible => Violation == 0;

    /// <summary>Negative when this is better than <paramref name="other"/>.</summary>
    public int CompareTo(Fitness other)
    {
        if (IsFeasible != other.IsFeasible)
        {
            return IsFeasible ? -1 : 1;
        }

        var byViolation = IsFeasible ? 0 : Violation.CompareTo(other.Violation);
        return byViolation != 0 ? byViolation : Loss.CompareTo(other.Loss);
    }

    public static bool operator <(Fitness left, Fitness right) => left.CompareTo(right) < 0;

    public static bool operator >(Fitness left, Fitness right) => left.CompareTo(right) > 0;

    public static bool operator <=(Fitness left, Fitness right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Fitness left, Fitness right) => left.CompareTo(right) >= 0;
}
