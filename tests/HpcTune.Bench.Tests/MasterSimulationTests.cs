using HpcTune.Bench.Simulation;
using HpcTune.Objectives;
using HpcTune.Study;
using HpcTune.Tuning;

namespace HpcTune.Bench.Tests;

/// <summary>The workers-sim event loop on cases small enough to check by hand.</summary>
public sealed class MasterSimulationTests
{
    private static readonly TestFunction Branin = TestFunctions.Get("branin");

    private static SimulationResult Simulate(int workers, int budget, int group, Func<int, double> duration, Func<MasterOperation, double> cost)
    {
        var tuner = new Tuner(Branin.CreateStudy(budget, workers, new AlgorithmSpec("random", 1)));
        var simulation = new MasterSimulation(tuner, MasterCostMeter.Fixed(cost), () => { });
        return simulation.Run(workers, group, duration, trial => Branin.EvaluateAsync(new TrialContext(trial.Id, trial.Assignment, "sim", 1), CancellationToken.None).AsTask().Result);
    }

    [Fact]
    public void Two_workers_with_fixed_durations_and_a_free_master_run_back_to_back()
    {
        // w0 takes 10 s a trial, w1 20 s; budget 5. t=0: trials 1 (w0), 2 (w1); t=10: 3 (w0); t=20: w1's result was
        // queued before w0's second, so 4 (w1), 5 (w0); t=30: w0 waits (budget taken); t=40: w1's last result ends the run.
        var result = Simulate(2, 5, group: 8, w => w == 0 ? 10 : 20, _ => 0);

        Assert.Equal([(1L, 0, 0.0), (2L, 1, 0.0), (3L, 0, 10.0), (4L, 1, 20.0), (5L, 0, 20.0)], result.Trials.Select(t => (t.TrialId, t.Worker, t.Issued)));
        Assert.Equal(40, result.Makespan);
        Assert.Equal(70.0 / 80, result.Utilization, 12); // 3 × 10 + 2 × 20 over 2 workers × 40 s
        Assert.Equal(1.0, result.SteadyUtilization, 12); // w0: 20 s of trials from 10 to 30; w1: 20 s from 20 to 40
        Assert.Equal(0, result.Queueing(1));
        Assert.Equal(0, result.MasterBusyShare);
    }

    [Fact]
    public void Requests_queue_behind_a_busy_master()
    {
        // Every Suggest call costs 1 s, one worker per call; each trial takes 10 s, budget 4. t=0: both ask; w0 gets
        // trial 1 at 1, w1 trial 2 at 2. w0 finishes at 11 and gets trial 3 at 12; w1 finishes at 12, gets trial 4 at 13.
        // w0 asks again at 22 and is told to wait (the budget is taken) at 23; w1's result at 23 completes the study and
        // both are told it is finished, at 24 and 25.
        var result = Simulate(2, 4, group: 1, _ => 10, kind => kind == MasterOperation.Suggest ? 1 : 0);

        Assert.Equal([1.0, 2.0, 12.0, 13.0], result.Trials.Select(t => t.Issued));
        Assert.Equal([1.0, 2.0, 1.0, 1.0], result.Trials.Select(t => t.Queueing));
        Assert.Equal(1.0, result.Queueing(0.5));
        Assert.Equal(2.0, result.Queueing(1));
        Assert.Equal(25, result.Makespan);
        Assert.Equal(7, result.SuggestCalls);
        Assert.Equal(7.0 / 25, result.MasterBusyShare, 12);
        Assert.Equal(40.0 / 50, result.Utilization, 12);
    }

    [Fact]
    public void All_waiting_workers_ask_together_when_the_group_is_zero()
    {
        var result = Simulate(16, 32, group: 0, _ => 5, kind => kind == MasterOperation.Suggest ? 1 : 0);

        Assert.Equal(32, result.Trials.Count);
        Assert.All(result.Trials.Take(16), t => Assert.Equal(1.0, t.Issued)); // one call answered all 16 at once
        Assert.Equal(1 + 1 + 1, result.SuggestCalls); // the first round, the second, and the Finished answers
    }

    [Fact]
    public void Lognormal_durations_are_the_same_for_a_seed_and_have_the_mean_asked_for()
    {
        var first = new LogNormalDurations(60, 0.5, 7);
        var second = new LogNormalDurations(60, 0.5, 7);
        var draws = Enumerable.Range(0, 20_000).Select(first.Next).ToArray();

        Assert.Equal(draws.Take(100), Enumerable.Range(0, 100).Select(second.Next));
        Assert.InRange(draws.Average(), 59, 61); // the standard error of 20,000 draws is 0.22 s
        Assert.All(draws, d => Assert.True(d > 0));
    }
}
