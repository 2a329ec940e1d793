using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using HpcTune.Journal;
using HpcTune.Trials;
using HpcTune.Tuning;

namespace HpcTune.Cli.Tests;

/// <summary>
/// The kill test of issue 26: a population trained by a real command that checkpoints (the toy problem of the PBT
/// paper, figure 2: gradient ascent on Q̂(θ|h) = 1.2 − (h₀θ₀² + h₁θ₁²)), its master and objectives killed with SIGKILL
/// mid-generation, then resumed: every (member, generation) completes exactly once, from the right parent's checkpoint
/// at the right step, and every score is what continued training gives.
/// </summary>
public sealed class PbtCheckpointResumeTests : IDisposable
{
    private const int Population = 4, Steps = 3, Generations = 4;
    private const double LearningRate = 0.1;

    private readonly Workspace _w = new();

    public void Dispose() => _w.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private string Study() => _w.Write("pbt.json", $$$"""
        {"name": "pbt-kill",
         "parameters": [{"name": "h0", "type": "double", "bounds": {"min": 0, "max": 1}},
                        {"name": "h1", "type": "double", "bounds": {"min": 0, "max": 1}}],
         "metrics": [{"name": "q", "objective": "maximize"}],
         "observation_budget": {{{Population * Generations}}}, "parallel_bandwidth": {{{Population}}},
         "algorithm": {"name": "pbt", "seed": 11, "population_size": {{{Population}}}, "steps_per_generation": {{{Steps}}},
                       "generations": {{{Generations}}}, "quantile": 0.25}}
        """);

    /// <summary>
    /// One segment of training. Its state (θ, step, the trials that trained it) is its parent's checkpoint, which the
    /// worker copied into its own directory, or θ = (0.9, 0.9) in generation 0; it checks both, rewrites its checkpoint
    /// after every step (so a kill leaves a half-trained one behind) and reports Q. In generation 1 it waits at
    /// <paramref name="gate"/> before its last step, so the test can kill the job with every segment of a generation in flight.
    /// </summary>
    private string Trainer(string marks, string gate) => _w.Write("train.py", $$"""
        import json, os, sys, time
        ckpt, parent, start, end, member, generation = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        trial = int(os.environ["HPCTUNE_TRIAL_ID"])
        assert os.environ["HPCTUNE_CHECKPOINT_DIR"] == ckpt and os.environ["HPCTUNE_PARENT_CHECKPOINT_DIR"] == parent
        assert int(os.environ["HPCTUNE_MEMBER"]) == member and int(os.environ["HPCTUNE_GENERATION"]) == generation
        h = [float(os.environ["HPCTUNE_PARAM_H0"]), float(os.environ["HPCTUNE_PARAM_H1"])]
        open(os.path.join("{{marks}}", f"run-{trial}-{os.getpid()}"), "w").close()
        path = os.path.join(ckpt, "state.json")
        if parent:
            state = json.load(open(os.path.join(parent, "state.json")))
            if json.load(open(path)) != state:
                sys.exit("the checkpoint directory does not hold a copy of the parent's")
        else:
            if os.listdir(ckpt):
                sys.exit("generation 0 found files in its checkpoint directory")
            state = {"theta": [0.9, 0.9], "step": 0, "trials": []}
        if state["step"] != start:
            sys.exit(f"the checkpoint is at step {state['step']}; the segment starts at {start}")
        state["trials"].append(trial)
        for step in range(start + 1, end + 1):
            if generation == 1 and step == end and not os.path.exists("{{gate}}"):
                open(os.path.join("{{marks}}", f"waiting-{trial}"), "w").close()
                while not os.path.exists("{{gate}}"):
                    time.sleep(0.02)
            state["theta"] = [t * (1 - 2 * {{LearningRate.ToString(CultureInfo.InvariantCulture)}} * hi) for t, hi in zip(state["theta"], h)]
            state["step"] = step
            with open(path + ".tmp", "w") as f:
                json.dump(state, f)
            os.replace(path + ".tmp", path)
            q = 1.2 - (state["theta"][0] ** 2 + state["theta"][1] ** 2)
            print("HPCTUNE_REPORT", json.dumps({"step": step, "q": q}), flush=True)
        print(repr(q))
        """);

    /// <summary>With in-process worker threads, and with 4 MPI worker ranks (the master sends lineage and checkpoint paths, the ranks prepare the directories).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_population_killed_mid_generation_resumes_and_completes_every_generation_exactly_once(bool mpi)
    {
        var marks = _w.Combine("marks");
        Directory.CreateDirectory(marks);
        var gate = _w.Combine("gate");
        string[] command = ["--command", Workspace.Python, Trainer(marks, gate), "{checkpoint_dir}", "{parent_checkpoint_dir}", "{start_step}", "{end_step}", "{member}", "{generation}"];

        string[] run = ["run", "--study", Study(), "--checkpoint", _w.Checkpoint, "--grace", "5", .. command];
        using (var master = mpi ? MpiLauncher.Start(_w.Path, Population + 1, run) : HpcTuneProcess.Start(_w.Path, run))
        {
            var output = HpcTuneProcess.CollectAsync(master, TimeSpan.FromMinutes(3), () => MpiLauncher.Signal(master, "KILL"));
            // The program prints its report before it waits; the master journals it a moment later.
            await WaitUntil(() => (Directory.GetFiles(marks, "waiting-*").Length == Population && SecondReportsJournaled()) || master.HasExited, TimeSpan.FromMinutes(2),
                "every segment of generation 1 at its last step, its first two reports journaled");
            if (master.HasExited)
            {
                Assert.Fail($"the run ended before generation 1 was in flight: {(await output).Stderr}");
            }

            // SIGKILL: the master alone (its objectives run in sessions of their own), or mpiexec and every rank.
            if (mpi)
            {
                MpiLauncher.Signal(master, "KILL");
            }
            else
            {
                master.Kill();
            }

            foreach (var waiting in Directory.GetFiles(marks, "waiting-*"))
            {
                foreach (var pid in RunsOf(marks, long.Parse(Path.GetFileName(waiting)["waiting-".Length..], CultureInfo.InvariantCulture)))
                {
                    _ = Kill(pid);
                }
            }

            Assert.Equal(137, (await output).ExitCode);
        }

        // Mid-generation: generation 0 done, every segment of generation 1 open, two of its three steps journaled.
        var killed = Checkpoint.Read(_w.Checkpoint).State;
        Assert.Equal(Population, killed.Trials.Count(t => t.State == TrialState.Completed && t.Lineage!.Generation == 0));
        var inFlight = killed.Trials.Where(t => t.Lineage!.Generation == 1).ToList();
        Assert.Equal(Population, inFlight.Count);
        Assert.All(inFlight, t => Assert.Equal(TrialState.Open, t.State));
        Assert.All(inFlight, t => Assert.Equal([t.Lineage!.StartStep!.Value + 1, t.Lineage.StartStep.Value + 2], t.Reports.Select(r => r.Step)));
        Assert.All(inFlight, t => Assert.Equal(t.Lineage!.StartStep!.Value + 2, StateOf(t).Step)); // a half-trained checkpoint left behind

        File.WriteAllText(gate, "");
        string[] resume = ["resume", "--checkpoint", _w.Checkpoint, "--grace", "5"];
        var resumed = mpi ? await MpiLauncher.RunAsync(_w.Path, Population + 1, resume) : await HpcTuneProcess.RunInAsync(_w.Path, resume);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);

        var contents = Checkpoint.Read(_w.Checkpoint);
        var state = contents.State;
        var trials = state.Trials;
        Assert.Equal(Population * Generations, trials.Count); // nothing failed, nothing was replaced
        Assert.All(trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.Equal(
            [.. Enumerable.Range(0, Generations).SelectMany(g => Enumerable.Range(0, Population).Select(m => (g, m)))],
            trials.Select(t => (t.Lineage!.Generation!.Value, t.Lineage.Member!.Value)).Order());
        Assert.All(contents.Events.OfType<TrialObserved>().GroupBy(e => e.TrialId), g => Assert.Single(g));

        foreach (var trial in trials)
        {
            var lineage = trial.Lineage!;
            var generation = lineage.Generation!.Value;
            // Only the interrupted segments ran twice; the resumed ones started over from their parent's checkpoint.
            Assert.Equal(generation == 1 ? 2 : 1, RunsOf(marks, trial.Id).Count);
            Assert.Equal(generation == 1 ? 2 : 1, trial.Attempts);
            Assert.Equal(((long)generation * Steps, (long)(generation + 1) * Steps), (lineage.StartStep!.Value, lineage.EndStep!.Value));

            double[] start;
            long[] history;
            if (generation == 0)
            {
                Assert.Null(lineage.ParentTrialId);
                (start, history) = ([0.9, 0.9], []);
            }
            else
            {
                var parent = state.Find(lineage.ParentTrialId!.Value)!;
                Assert.Equal(generation - 1, parent.Lineage!.Generation);
                var parentState = StateOf(parent);
                Assert.Equal(lineage.StartStep, parentState.Step);
                (start, history) = (parentState.Theta, parentState.Trials);
            }

            // Continued training: every report is the parent's θ trained on with this trial's hyperparameters.
            var h = new[] { trial.Assignment.GetDouble("h0"), trial.Assignment.GetDouble("h1") };
            Assert.Equal([.. Enumerable.Range(1, Steps).Select(k => lineage.StartStep!.Value + k)], trial.Reports.Select(r => r.Step));
            for (var k = 1; k <= Steps; k++)
            {
                var theta = start.Select((t, i) => t * Math.Pow(1 - (2 * LearningRate * h[i]), k)).ToArray();
                Assert.Equal(1.2 - ((theta[0] * theta[0]) + (theta[1] * theta[1])), trial.Reports[k - 1].Values["q"], 12);
            }

            Assert.Equal(trial.Reports[^1].Values["q"], trial.Values!["q"], 12);
            var own = StateOf(trial);
            Assert.Equal(lineage.EndStep, own.Step);
            Assert.Equal([.. history, trial.Id], own.Trials);
        }

        // Exploit happened: a member continued from another member's checkpoint.
        Assert.Contains(trials, t => t.Lineage!.ParentTrialId is { } p && state.Find(p)!.Lineage!.Member != t.Lineage.Member);
        Assert.Equal(StudyStatus.Completed, state.Status);
    }

    private bool SecondReportsJournaled()
    {
        var segments = Checkpoint.Read(_w.Checkpoint).State.Trials.Where(t => t.Lineage?.Generation == 1).ToList();
        return segments.Count == Population && segments.All(t => t.Reports.Count == 2);
    }

    private (long Step, double[] Theta, long[] Trials) StateOf(Trial trial)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_w.Checkpoint, trial.Lineage!.CheckpointDirectory!, "state.json")));
        var root = json.RootElement;
        return (root.GetProperty("step").GetInt64(),
            [.. root.GetProperty("theta").EnumerateArray().Select(e => e.GetDouble())],
            [.. root.GetProperty("trials").EnumerateArray().Select(e => e.GetInt64())]);
    }

    /// <summary>The pids of the runs of trial <paramref name="trialId"/>'s objective, one per attempt.</summary>
    private static List<int> RunsOf(string marks, long trialId) =>
        [.. Directory.GetFiles(marks, $"run-{trialId}-*").Select(f => int.Parse(Path.GetFileName(f).Split('-')[2], CultureInfo.InvariantCulture))];

    private static bool Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(); // SIGKILL
            return true;
        }
        catch (ArgumentException)
        {
            return false; // already gone
        }
    }

    /// <summary>Waits for <paramref name="condition"/>, looking every 50 ms, and fails past <paramref name="limit"/>.</summary>
    private static async Task WaitUntil(Func<bool> condition, TimeSpan limit, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"no {what} within {limit.TotalSeconds} s");
            await Task.Delay(50, Token);
        }
    }
}
