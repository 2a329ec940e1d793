using HpcTune.Objectives;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Bench.Simulation;

/// <summary>
/// A discrete-event simulation of one master and many workers on a virtual clock. The master is real: every result is
/// recorded with <see cref="Tuner.Report"/>, the journal committed and every suggestion made with
/// <see cref="Tuner.Suggest(IReadOnlyList{string})"/>, and each operation is charged to the clock at what the
/// <see cref="MasterCostMeter"/> measured. The master is one thread, as the MPI master is: while it works, results
/// and requests queue. Each of its turns records every result that has arrived (and those that arrive while it
/// records), commits, then answers the waiting workers in arrival order, <c>group</c> at a time, committing before
/// each group's answers go out. Workers are events: a worker given a trial at t finishes at t + its drawn duration and
/// asks for the next one.
/// </summary>
internal sealed class MasterSimulation(Tuner tuner, MasterCostMeter meter, Action commit)
{
    /// <summary>
    /// Runs the study to its end with <paramref name="workers"/> workers. <paramref name="group"/> is how many waiting
    /// workers ask together (the MPI master's 8; 0: all that are waiting). Durations come from
    /// <paramref name="duration"/> (by worker) in the order trials are handed out; results from <paramref name="evaluate"/>.
    /// </summary>
    public SimulationResult Run(int workers, int group, Func<int, double> duration, Func<Trial, ObjectiveResult> evaluate, Action<double, int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workers);
        ArgumentOutOfRangeException.ThrowIfNegative(group);
        var names = Enumerable.Range(0, workers).Select(w => $"w{w}").ToArray();
        var running = new PriorityQueue<SimulatedTrial, (double Finished, long Order)>();
        var waiting = new List<(int Worker, double Since)>(Enumerable.Range(0, workers).Select(w => (w, 0.0)));
        var trials = new List<SimulatedTrial>();
        double clock = 0, busy = 0;
        long order = 0;
        var calls = 0;
        void Charge(MasterOperation kind, Action operation)
        {
            var seconds = meter.Charge(kind, operation);
            clock += seconds;
            busy += seconds;
        }

        var blocked = false; // the last turn answered nobody: only a result can change that
        while (waiting.Count > 0 || running.Count > 0)
        {
            if ((waiting.Count == 0 || blocked) && running.Count > 0)
            {
                clock = Math.Max(clock, running.Peek().Finished); // idle until the next result
            }

            var recorded = 0;
            while (running.TryPeek(out var done, out var at) && at.Finished <= clock)
            {
                running.Dequeue();
                var result = evaluate(tuner.GetTrial(done.TrialId));
                Charge(MasterOperation.Report, () => tuner.Report(done.TrialId, result));
                waiting.Add((done.Worker, done.Finished));
                recorded++;
            }

            if (recorded > 0)
            {
                Charge(MasterOperation.Commit, commit);
            }

            blocked = !Answer();
            if (blocked && running.Count == 0)
            {
                throw new InvalidOperationException($"the tuner keeps {waiting.Count} workers waiting with no trial running: nothing can change");
            }

            progress?.Invoke(clock, trials.Count);
        }

        return new SimulationResult(workers, trials, clock, busy, calls);

        // Answers the waiting workers in arrival order, a group at a time; false if nobody got an answer.
        bool Answer()
        {
            var answered = false;
            while (waiting.Count > 0)
            {
                var take = group == 0 ? waiting.Count : Math.Min(group, waiting.Count);
                var members = waiting.GetRange(0, take);
                IReadOnlyList<SuggestOutcome> outcomes = [];
                Charge(MasterOperation.Suggest, () => outcomes = tuner.Suggest([.. members.Select(m => names[m.Worker])]));
                calls++;
                var answers = 0;
                while (answers < take && outcomes[answers].Status != SuggestStatus.Wait)
                {
                    answers++; // a Wait: the budget or bandwidth is taken, nobody gets new work until a result comes in
                }

                if (outcomes.Take(answers).Any(o => o.Status == SuggestStatus.Issued))
                {
                    Charge(MasterOperation.Commit, commit); // the new trials are journaled before anyone hears of them
                }

                for (var i = 0; i < answers; i++)
                {
                    if (outcomes[i].Status == SuggestStatus.Issued)
                    {
                        var trial = new SimulatedTrial(outcomes[i].Trial!.Id, members[i].Worker, members[i].Since, clock, duration(members[i].Worker));
                        trials.Add(trial);
                        running.Enqueue(trial, (trial.Finished, order++));
                    }
                }

                waiting.RemoveRange(0, answers); // a worker told Finished leaves
                answered |= answers > 0;
                if (answers < take)
                {
                    break;
                }
            }

            return answered;
        }
    }
}
