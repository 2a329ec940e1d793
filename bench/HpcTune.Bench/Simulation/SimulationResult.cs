namespace HpcTune.Bench.Simulation;

/// <summary>
/// The outcome of a simulated run: every trial on the virtual clock, when the master had answered the last worker, and
/// how long the master was busy.
/// </summary>
internal sealed class SimulationResult(int workers, IReadOnlyList<SimulatedTrial> trials, double makespan, double masterBusy, int suggestCalls)
{
    /// <summary>The simulated workers.</summary>
    public int Workers => workers;

    /// <summary>Every trial handed out, in the order handed out.</summary>
    public IReadOnlyList<SimulatedTrial> Trials => trials;

    /// <summary>Virtual seconds from the start until the master had recorded the last result and answered the last worker.</summary>
    public double Makespan => makespan;

    /// <summary>Virtual seconds the master spent on operations.</summary>
    public double MasterBusy => masterBusy;

    /// <summary>How many times the master asked the tuner for suggestions.</summary>
    public int SuggestCalls => suggestCalls;

    /// <summary>Σ objective time / (workers × makespan): the share of the allocation spent evaluating.</summary>
    public double Utilization => makespan > 0 ? trials.Sum(t => t.Duration) / (workers * makespan) : 0;

    /// <summary>
    /// The steady state, as bench/mpi-utilization.sh measures it: each worker from its first result to its last, the
    /// time of its later trials over that span, summed over workers; NaN when no worker has two trials.
    /// </summary>
    public double SteadyUtilization
    {
        get
        {
            double busy = 0, span = 0;
            foreach (var held in trials.GroupBy(t => t.Worker).Select(g => g.OrderBy(t => t.Issued).ToList()).Where(h => h.Count >= 2))
            {
                busy += held.Skip(1).Sum(t => t.Duration);
                span += held[^1].Finished - held[0].Finished;
            }

            return span > 0 ? busy / span : double.NaN;
        }
    }

    /// <summary>The master's busy time over the makespan.</summary>
    public double MasterBusyShare => makespan > 0 ? masterBusy / makespan : 0;

    /// <summary>The <paramref name="quantile"/> of the requests' queueing delays, seconds (nearest rank).</summary>
    public double Queueing(double quantile)
    {
        if (trials.Count == 0)
        {
            return double.NaN;
        }

        var sorted = trials.Select(t => t.Queueing).Order().ToArray();
        return sorted[(int)Math.Ceiling(quantile * sorted.Length) - (quantile > 0 ? 1 : 0)];
    }
}
