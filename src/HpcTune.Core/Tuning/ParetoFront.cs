using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Tuning;

/// <summary>
/// The feasible completed trials that no other one dominates, kept up to date one result at a time. Trial
/// <c>a</c> dominates <c>b</c> when it is at least as good on every optimized metric and better on one; trials
/// with equal values are both kept. One objective: the trials with the best value.
/// </summary>
internal sealed class ParetoFront
{
    private readonly IReadOnlyList<MetricDefinition> _objectives;
    private readonly List<Trial> _front = [];

    public ParetoFront(IReadOnlyList<MetricDefinition> objectives)
    {
        _objectives = objectives;
    }

    /// <summary>The front, in completion order.</summary>
    public IReadOnlyList<Trial> Trials => _front;

    public ParetoFront Clone()
    {
        var copy = new ParetoFront(_objectives);
        copy._front.AddRange(_front);
        return copy;
    }

    /// <summary>Adds a feasible completed trial, dropping the trials it dominates; returns whether it joined the front.</summary>
    public bool Add(Trial trial)
    {
        if (_front.Any(t => Dominates(t, trial)))
        {
            return false;
        }

        _front.RemoveAll(t => Dominates(trial, t));
        _front.Add(trial);
        return true;
    }

    /// <summary>True when <paramref name="a"/> is at least as good as <paramref name="b"/> on every objective and better on one.</summary>
    public bool Dominates(Trial a, Trial b)
    {
        var better = false;
        foreach (var metric in _objectives)
        {
            var x = a.Values![metric.Name];
            var y = b.Values![metric.Name];
            if (metric.IsBetter(y, x))
            {
                return false;
            }

            better |= metric.IsBetter(x, y);
        }

        return better;
    }
}
