using HpcTune.Sampling;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Search.EarlyStopping;

/// <summary>
/// The metric an early stopping rule watches (its <c>metric</c> option, by default the study's first objective) and
/// which way it is better; values are turned into losses (smaller is better) so the rules compare one way.
/// </summary>
internal sealed record StoppingMetric(string Name, bool Maximize)
{
    /// <summary>
    /// Reads the common options of a rule (<c>metric</c>) from <paramref name="reader"/> and refuses what no rule can
    /// serve: a <c>pbt</c> study (its trials are generations of a member, stopped by the population itself) and an
    /// unknown metric.
    /// </summary>
    public static StoppingMetric Read(StudyDefinition definition, AlgorithmOptionReader reader)
    {
        if (definition.Algorithm.Name == "pbt")
        {
            throw new DefinitionException("early_stopping",
                "early_stopping combines with any algorithm but pbt: population based training stops and continues its members itself; remove early_stopping or choose another algorithm");
        }

        var name = reader.String("metric");
        if (name is null)
        {
            return new StoppingMetric(definition.Objective.Name, definition.Objective.Objective == MetricObjective.Maximize);
        }

        var metric = definition.Metrics.FirstOrDefault(m => m.Name == name)
            ?? throw new DefinitionException(reader.Path("metric"),
                $"unknown metric '{name}'; the study's metrics are {string.Join(", ", definition.Metrics.Select(m => m.Name))}");
        return new StoppingMetric(metric.Name, metric.Objective == MetricObjective.Maximize);
    }

    /// <summary>The report's value of this metric as a loss (negated when maximized), or false when the report lacks it.</summary>
    public bool TryLoss(TrialReport report, out double loss)
    {
        if (report.Values.TryGetValue(Name, out var value))
        {
            loss = Maximize ? -value : value;
            return true;
        }

        loss = 0;
        return false;
    }

    /// <summary>A loss back in the metric's own sign, for messages.</summary>
    public double Value(double loss) => Maximize ? -loss : loss;
}
