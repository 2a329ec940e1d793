using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Tuning;

/// <summary>
/// The study as a fold over its events. <see cref="Check"/> says whether an event may be applied
/// (with an error that names the trial and its state); <see cref="Apply"/> applies it. Not thread-safe:
/// the tuner owns one under its lock; a journal replay owns one alone.
/// </summary>
public sealed partial class StudyState
{
    private readonly SnapshotList<Trial> _trials = new();  // index = id - 1
    private readonly SortedSet<long> _interrupted = [];   // handed out again lowest id first
    private readonly Dictionary<string, long> _openByWorker = new(StringComparer.Ordinal);
    private readonly SnapshotList<Trial> _completed = new();
    private ParetoFront _front;

    /// <summary>Starts an empty study.</summary>
    public StudyState(StudyDefinition definition)
    {
        Definition = definition ?? throw new ArgumentNullException(nameof(definition));
        _front = new ParetoFront(definition.Objectives);
    }

    /// <summary>An independent copy (trials are immutable records, so copying the collections is enough).</summary>
    public StudyState Clone()
    {
        var copy = new StudyState(Definition) { FailedCount = FailedCount, FinishedCount = FinishedCount, PrunedCount = PrunedCount, Best = Best, _front = _front.Clone() };
        foreach (var trial in _trials)
        {
            copy._trials.Add(trial);
        }

        foreach (var trial in _completed)
        {
            copy._completed.Add(trial);
        }
        copy._interrupted.UnionWith(_interrupted);
        foreach (var (worker, id) in _openByWorker)
        {
            copy._openByWorker[worker] = id;
        }

        return copy;
    }

    /// <summary>An immutable snapshot of the study now, for samplers (the definition's seed must be resolved).</summary>
    public Sampling.StudySnapshot Snapshot() =>
        new(Definition, Definition.Algorithm.Seed ?? throw new InvalidOperationException("the study's seed must be resolved"), _trials.Freeze(), _completed.Freeze());

    /// <summary>How many trials have finished (completed, failed or deleted) so far: results a suggestion may not have seen.</summary>
    public int FinishedCount { get; private set; }

    /// <summary>The definition, with the latest observation budget.</summary>
    public StudyDefinition Definition { get; private set; }

    /// <summary>Every trial, by id order.</summary>
    public IReadOnlyList<Trial> Trials => _trials;

    /// <summary>Completed trials, in completion order.</summary>
    public IReadOnlyList<Trial> CompletedTrials => _completed;

    /// <summary>Ids of interrupted trials, lowest first.</summary>
    public IReadOnlyCollection<long> InterruptedIds => _interrupted;

    /// <summary>Number of completed trials.</summary>
    public int CompletedCount => _completed.Count;

    /// <summary>Number of failed trials.</summary>
    public int FailedCount { get; private set; }

    /// <summary>Number of pruned trials (stopped early; they count toward the budget).</summary>
    public int PrunedCount { get; private set; }

    /// <summary>Number of open trials.</summary>
    public int OpenCount => _openByWorker.Count;

    /// <summary>
    /// The best feasible completed trial on the (first) objective, or null. A multi-objective study's result is
    /// <see cref="ParetoFront"/>. Infeasible and pruned trials are never best.
    /// </summary>
    public Trial? Best { get; private set; }

    /// <summary>
    /// The feasible completed trials that no other feasible completed trial dominates on the optimized metrics
    /// (<see cref="StudyDefinition.Objectives"/>), in completion order. One objective: the trials sharing the best value.
    /// </summary>
    public IReadOnlyList<Trial> ParetoFront => _front.Trials;

    /// <summary>Completed and pruned trials: the observations that count toward the budget.</summary>
    public int ObservedCount => CompletedCount + PrunedCount;

    /// <summary>Running, completed or broken.</summary>
    public StudyStatus Status =>
        ObservedCount >= Definition.ObservationBudget ? StudyStatus.Completed
        : FailedCount >= Definition.MaxFailures ? StudyStatus.Broken
        : StudyStatus.Running;

    /// <summary>The counts now.</summary>
    public StudyProgress Progress => new(CompletedCount, FailedCount, OpenCount, _interrupted.Count, Definition.ObservationBudget, Status) { Pruned = PrunedCount };

    /// <summary>
    /// Trials that may still complete (open or interrupted) plus completed and pruned ones: new trials are created only
    /// while this is below the budget, which is what keeps the budget from ever being exceeded.
    /// </summary>
    public int CommittedCount => ObservedCount + OpenCount + _interrupted.Count;

    /// <summary>The trial with <paramref name="id"/>, or null.</summary>
    public Trial? Find(long id) => id >= 1 && id <= _trials.Count ? _trials[(int)(id - 1)] : null;

    /// <summary>The open trial held by <paramref name="worker"/>, or null.</summary>
    public Trial? OpenTrialOf(string worker) => _openByWorker.TryGetValue(worker, out var id) ? _trials[(int)(id - 1)] : null;

    /// <summary>Returns null when <paramref name="e"/> may be applied, else why not.</summary>
    public string? Check(StudyEvent e) => e switch
    {
        TrialCreated c => c.TrialId != _trials.Count + 1 ? $"trial {c.TrialId} cannot be created: the next trial id is {_trials.Count + 1}"
            : _openByWorker.TryGetValue(c.Worker, out var holding) ? $"worker '{c.Worker}' already holds trial {holding}" : null,
        TrialReissued r => CheckMove(r.TrialId, TrialState.Open, "hand out again")
            ?? (_openByWorker.TryGetValue(r.Worker, out var held) ? $"worker '{r.Worker}' already holds trial {held}" : null),
        TrialObserved o => CheckMove(o.TrialId, TrialState.Completed, "observe") ?? CheckValues(o.Values),
        TrialFailed f => CheckMove(f.TrialId, TrialState.Failed, "fail"),
        TrialInterrupted i => CheckMove(i.TrialId, TrialState.Interrupted, "interrupt"),
        TrialDeleted d => CheckMove(d.TrialId, TrialState.Deleted, "delete"),
        TrialReported r => CheckReport(r),
        TrialPruned p => CheckMove(p.TrialId, TrialState.Pruned, "prune"),
        TrialInserted n => CheckInsert(n),
        BudgetChanged b => b.ObservationBudget < 1 ? $"the observation budget must be positive, got {b.ObservationBudget}" : null,
        _ => $"unknown event {e.GetType().Name}",
    };

    /// <summary>Applies <paramref name="e"/>; throws <see cref="TrialStateException"/> when <see cref="Check"/> objects.</summary>
    public void Apply(StudyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Check(e) is { } problem)
        {
            throw new TrialStateException(TrialIdOf(e), problem);
        }

        switch (e)
        {
            case TrialCreated c:
                _trials.Add(new Trial
                {
                    Id = c.TrialId,
                    Assignment = c.Assignment,
                    State = TrialState.Open,
                    Worker = c.Worker,
                    CreatedAt = c.Time,
                    SuggestedAt = c.Time,
                    CompletedBefore = _completed.Count,
                    Lineage = c.Lineage,
                });
                _openByWorker[c.Worker] = c.TrialId;
                break;
            case TrialReissued r:
                _interrupted.Remove(r.TrialId);
                Replace(r.TrialId, t => t with { State = TrialState.Open, Worker = r.Worker, Attempts = t.Attempts + 1, SuggestedAt = r.Time, Reason = null });
                _openByWorker[r.Worker] = r.TrialId;
                break;
            case TrialObserved o:
                var observed = Close(o.TrialId, t => t with { State = TrialState.Completed, Values = o.Values, Metadata = o.Metadata, FinishedAt = o.Time, Reason = null });
                _completed.Add(observed);
                if (IsFeasible(observed))
                {
                    _front.Add(observed);
                    if (Best is null || Definition.Objective.IsBetter(Objective(observed), Objective(Best)))
                    {
                        Best = observed;
                    }
                }

                break;
            case TrialReported r:
                Replace(r.TrialId, t => t with { Reports = [.. t.Reports, new TrialReport(r.Step, r.Values, r.Time)] });
                break;
            case TrialPruned p:
                Close(p.TrialId, t => t with { State = TrialState.Pruned, Values = t.Reports.Count > 0 ? t.Reports[^1].Values : null, Reason = p.Reason, FinishedAt = p.Time });
                PrunedCount++;
                break;
            case TrialFailed f:
                Close(f.TrialId, t => t with { State = TrialState.Failed, Reason = f.Reason, Metadata = f.Metadata, FinishedAt = f.Time });
                FailedCount++;
                break;
            case TrialInterrupted i:
                Close(i.TrialId, t => t with { State = TrialState.Interrupted, Reason = i.Reason, FinishedAt = i.Time });
                _interrupted.Add(i.TrialId);
                break;
            case TrialDeleted d:
                Close(d.TrialId, t => t with { State = TrialState.Deleted, FinishedAt = d.Time });
                break;
            case TrialInserted n:
                ApplyInsert(n);
                break;
            case BudgetChanged b:
                Definition = Definition.With(observationBudget: b.ObservationBudget);
                break;
        }

        if (e is TrialObserved or TrialFailed or TrialDeleted or TrialPruned)
        {
            FinishedCount++;
        }
    }

    /// <summary>The objective metric's value of a completed trial.</summary>
    public double Objective(Trial trial) => trial?.Values?[Definition.Objective.Name] ?? throw new ArgumentException("the trial has no values", nameof(trial));

    /// <summary>
    /// True when a trial with values meets every constraint metric: <c>value ≤ threshold</c> for a minimized one,
    /// <c>≥</c> for a maximized one. A constraint metric it did not report is not met.
    /// </summary>
    public bool IsFeasible(Trial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        foreach (var metric in Definition.Metrics)
        {
            if (metric.Strategy != MetricStrategy.Constraint)
            {
                continue;
            }

            if (trial.Values is null || !trial.Values.TryGetValue(metric.Name, out var value) || metric.IsBetter(metric.Threshold!.Value, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Null when <paramref name="values"/> is a valid observation of this study, else why not.</summary>
    public string? CheckValues(IReadOnlyDictionary<string, double> values)
    {
        if (values is null)
        {
            return "no metric values were given";
        }

        foreach (var (name, value) in values)
        {
            if (!Definition.Metrics.Any(m => m.Name == name))
            {
                return $"'{name}' is not a metric of this study; the metrics are {string.Join(", ", Definition.Metrics.Select(m => m.Name))}";
            }

            if (!double.IsFinite(value))
            {
                return $"metric '{name}' is {Scalar.FormatNumber(value)}; values must be finite numbers";
            }
        }

        return Definition.Objectives.FirstOrDefault(m => !values.ContainsKey(m.Name)) is { } missing
            ? $"the {(Definition.IsMultiObjective ? "optimized" : "objective")} metric '{missing.Name}' is missing"
            : null;
    }

    private string? CheckReport(TrialReported report)
    {
        var trial = Find(report.TrialId);
        if (trial is not { State: TrialState.Open })
        {
            return trial is null
                ? $"cannot report progress for trial {report.TrialId}: no such trial (ids run 1..{_trials.Count})"
                : $"cannot report progress for trial {report.TrialId}: it is {trial.State}, not open";
        }

        var last = trial.Reports is [.., var previous] ? previous.Step : (long?)null;
        if (report.Step < 0 || report.Step <= last)
        {
            return report.Step < 0
                ? $"trial {report.TrialId}: a report's step must be 0 or more, got {report.Step}"
                : $"trial {report.TrialId}: a report's step must increase; step {report.Step} comes after step {last}";
        }

        if (report.Values is null || report.Values.Count == 0)
        {
            return $"trial {report.TrialId}: the report of step {report.Step} holds no metric values";
        }

        foreach (var (name, value) in report.Values)
        {
            if (!Definition.Metrics.Any(m => m.Name == name))
            {
                return $"trial {report.TrialId}: '{name}' is not a metric of this study; the metrics are {string.Join(", ", Definition.Metrics.Select(m => m.Name))}";
            }

            if (!double.IsFinite(value))
            {
                return $"trial {report.TrialId}: metric '{name}' is {Scalar.FormatNumber(value)} at step {report.Step}; values must be finite numbers";
            }
        }

        return null;
    }

    private string? CheckMove(long id, TrialState to, string verb)
    {
        var trial = Find(id);
        if (trial is null)
        {
            return $"cannot {verb} trial {id}: no such trial (ids run 1..{_trials.Count})";
        }

        return TrialTransitions.IsAllowed(trial.State, to) ? null : $"cannot {verb} trial {id}: it is {trial.State}";
    }

    private Trial Close(long id, Func<Trial, Trial> change)
    {
        var trial = Replace(id, change);
        _interrupted.Remove(id);
        return trial;
    }

    private Trial Replace(long id, Func<Trial, Trial> change)
    {
        var index = (int)(id - 1);
        var before = _trials[index];
        var after = change(before);
        if (before.State == TrialState.Open && after.State != TrialState.Open)
        {
            _openByWorker.Remove(before.Worker);
        }

        _trials[index] = after;
        return after;
    }

    /// <summary>The trial an event is about, or 0 for study-wide events.</summary>
    internal static long TrialIdOf(StudyEvent e) => e switch
    {
        TrialCreated c => c.TrialId,
        TrialReissued r => r.TrialId,
        TrialObserved o => o.TrialId,
        TrialFailed f => f.TrialId,
        TrialInterrupted i => i.TrialId,
        TrialDeleted d => d.TrialId,
        TrialReported r => r.TrialId,
        TrialPruned p => p.TrialId,
        TrialInserted n => n.TrialId,
        _ => 0,
    };
}
