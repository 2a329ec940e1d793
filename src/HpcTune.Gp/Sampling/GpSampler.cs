using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Model;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// Bayesian optimization with a Matérn-5/2 GP. The first <c>initial_points</c> (default max(5, d + 1)) trials are
/// scrambled Sobol points, open ones included (at least two results are needed for a model); after that each suggestion maximizes the acquisition over the model of the completed
/// trials, with pending suggestions folded in (see <see cref="PendingStrategy"/>; past <see cref="GpOptions.MaxFantasies"/>
/// open, those nearest the search's centre, <see cref="OpenTrialFantasies"/>).
/// Hyperparameters are refitted on a fixed schedule (every 35 % more observations), each fit climbing from the
/// previous one, and between those they are nudged by a few gradient steps every few observations; both depend on
/// the observations alone, so a fresh sampler over the same study (after a resume) uses the same hyperparameters.
/// Between fits new observations extend the Cholesky factor in O(n²). Past 1,000 observations the model holds 1,000
/// of them, most nearest the search's best point, instead of all of them (docs/gp-scale.md). Suggestions of one batch share one
/// model and one scored candidate set (<see cref="Suggest"/>).
/// </summary>
public sealed class GpSampler : ISampler
{
    private readonly GpOptions _options;
    private readonly SobolSampler _sobol = new();
    private readonly List<double[]> _features = [];
    private readonly List<double> _values = [];
    private readonly List<int> _known = []; // results in when each value's suggestion was made
    private readonly List<bool> _feasible = []; // whether each observation met every constraint metric
    private FeasibilityModelBuilder? _feasibilityBuilder;
    private readonly HashSet<Assignment> _observed = [];
    private readonly List<long> _observedIds = []; // the trials behind _features, to tell a list that grew from one that changed
    private FeatureEncoder? _encoder;
    private GaussianProcess? _gp;
    private GpHyperparameters? _hyperparameters; // in force for the observations synchronized last
    private int[]? _modelIndices; // the observations a local model holds (LocalModelData); null when it holds all
    private double[]? _localCentre; // the point the local model was chosen around
    private readonly Dictionary<int, (GpHyperparameters Fit, bool Warp)> _scheduledFits = [];
    private readonly Dictionary<(int Observations, int Failures, long Identity), GpHyperparameters> _latentFits = []; // LatentFit's
    private int _fittedAt;
    private int _nudgedAt;
    private double[] _targets = [];
    private bool _warp = true;
    private CancellationToken _cancellation; // the current view's: a stop request ends a long fit or search

    /// <summary>A sampler with <paramref name="options"/> (defaults when null).</summary>
    public GpSampler(GpOptions? options = null)
    {
        _options = options ?? new GpOptions();
        if (_options.LocalModelSize < 1 || _options.LocalModelThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options),
                $"the local model needs a threshold and a size of at least 1 observation, got threshold {_options.LocalModelThreshold} and size {_options.LocalModelSize}");
        }

        if (_options.MaxFantasies < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"a model carries at least 1 open trial as a fantasy, got a cap of {_options.MaxFantasies}");
        }
    }

    /// <inheritdoc/>
    public string Name => "gp";

    /// <summary>
    /// Makes <c>"algorithm": {"name": "gp"}</c> valid and create this sampler: adds <see cref="GpAlgorithmProvider.Instance"/>
    /// to <see cref="AlgorithmRegistry.Default"/> (again is harmless). Call it once at start, before reading studies; the command line does.
    /// </summary>
    public static void Register() => AlgorithmRegistry.Default.Add(GpAlgorithmProvider.Instance);

    /// <summary>Options from the study's algorithm section.</summary>
    public static GpOptions OptionsFor(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = GpAlgorithmProvider.ReadOptions(definition);
        var gpOptions = new GpOptions
        {
            Acquisition = options.Acquisition ?? "log_ei",
            CoordinateMoves = options.CoordinateMoves ?? DefaultCoordinateMoves(definition),
            CoordinateMovesWhen = options.CoordinateMovesWhen switch
            {
                "always" => CoordinateMoveSchedule.Always,
                "stalled" => CoordinateMoveSchedule.Stalled,
                _ => CoordinateMoveSchedule.Paying,
            },
        };
        return Engines.GpEngines.Apply(gpOptions, options.Engine, options.Device, "algorithm");
    }

    /// <summary>
    /// <c>coordinate_moves</c> when the study sets none: <see cref="SequentialCoordinateMoves"/> for a study with one
    /// suggestion open at a time (<c>parallel_bandwidth</c> 1), none with more. Sequentially the paying moves gain on rugged
    /// and multi-basin functions without a significant loss on the suite; with 8 open their losses in the last digits of
    /// a polish were significant (docs/gp-rugged.md), so there the batch's own spread is left to explore.
    /// </summary>
    internal static int DefaultCoordinateMoves(StudyDefinition definition) =>
        definition.ParallelBandwidth == 1 && !definition.IsMultiObjective ? SequentialCoordinateMoves : 0;

    /// <summary>The default <c>coordinate_moves</c> of a sequential study (one stratum per eighth of each range).</summary>
    internal const int SequentialCoordinateMoves = 8;

    /// <summary>The linear algebra in use, for reports.</summary>
    public string LinearAlgebraName => _options.LinearAlgebra.Name;

    /// <summary>Whether the current model's targets are log-warped (for tests and benchmarks).</summary>
    internal bool UsesLogWarp => _warp;

    /// <summary>The model, once there is one (for tests and benchmarks).</summary>
    internal GaussianProcess? Model => _gp;

    /// <summary>The observations the local model holds, ascending; null when the model holds every observation (for tests).</summary>
    internal IReadOnlyList<int>? LocalObservations => _modelIndices;

    /// <summary>The standardized incumbent of the latest model-based suggestion's log-EI (for tests).</summary>
    internal double Incumbent { get; private set; }

    /// <summary>The observations' standardized targets, in the order observed (for tests).</summary>
    internal IReadOnlyList<double> StandardizedTargets => _targets;

    /// <summary>The feasibility model of the latest model-based suggestion, when it had one (for tests).</summary>
    internal FeasibilityModel? Feasibility { get; private set; }

    /// <summary>The coordinate moves per continuous parameter among the latest model-based suggestion's candidates (for tests).</summary>
    internal int LastCoordinateMoves { get; private set; }

    /// <summary>The trust region the latest model-based suggestion was searched in (for tests).</summary>
    internal SearchBox? Region { get; private set; }

    /// <inheritdoc/>
    /// <remarks>
    /// One model and one scored candidate set serve the whole batch: the first suggestion maximizes the acquisition;
    /// each later one is the best candidate after the one before was added as a fantasy, which updates the
    /// candidates' variances in O(n m) (the O(n² m) scoring and the fantasies of every pending point are paid once per
    /// batch), refined by <see cref="GpOptions.SeriesRefinements"/> gradient ascents. When the candidates run out a
    /// new round starts from the snapshot with the batch so far pending.
    /// </remarks>
    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _cancellation = cancellation;
        var made = new List<Assignment>(count);
        var current = snapshot;
        void Add(Assignment assignment)
        {
            made.Add(assignment);
            if (made.Count < count)
            {
                current = current.WithPending(assignment);
            }
        }

        while (made.Count < count)
        {
            // A tracked search keeps what adding a suggestion as a fantasy needs; qUCB's suggestions share nothing.
            var batch = _options.Pending == PendingStrategy.KrigingBeliever;
            var round = BeginRound(current, track: batch, out var design);
            if (round is null)
            {
                Add(design!); // a design point
                continue;
            }

            try
            {
                var next = round.Next(_options.Refinements) ?? round.Fallback(current);
                while (next is not null)
                {
                    Add(next);
                    if (made.Count == count || !batch)
                    {
                        break; // qUCB's suggestions share nothing: each gets a round of its own
                    }

                    round.Believe(round.Search.Add(next));
                    next = round.Next(_options.SeriesRefinements);
                }
            }
            finally
            {
                round.Model.ClearFantasies();
            }
        }

        return made;
    }

    /// <summary>
    /// The model with the pending points as fantasies and a scored candidate set; null (and the suggestion in
    /// <paramref name="design"/>) while the first design, or a restarted search's, is still being laid out.
    /// </summary>
    private Round? BeginRound(StudySnapshot view, bool track, out Assignment? design)
    {
        _cancellation.ThrowIfCancellationRequested();
        var initial = GpAlgorithmProvider.ReadOptions(view.Definition).InitialPoints ?? Math.Max(5, view.Space.Dimension + 1);
        var pending = view.Pending.ToList();
        var observed = Observations(view);
        // Recent failures count as open suggestions that never report (their fantasies shrink the variance there and
        // the pending radius keeps new suggestions off them): otherwise the same view gives the same failing point again.
        var failed = NeverReporting(view).TakeLast(MaxFailedAsOpen).ToList();
        // Open suggestions count toward the first design: waiting for `initial` results before the first model made
        // the design twice as long with 8 workers (Branin, 8 open, regret at 50: 9.8e-5 → 1.1e-5; docs/gp.md).
        if (observed.Trials.Count < 2 || observed.Trials.Count + pending.Count < initial)
        {
            design = _sobol.SuggestUntaken(view, observed.Trials.Concat(pending).Select(t => t.Assignment).ToHashSet());
            return null;
        }

        // A wide categorical's columns are its values seen in observations and failures (FeatureEncoder): a layout
        // that no longer fits them starts the model over, as a fresh sampler over this study would build it.
        var seen = observed.Trials.Concat(failed).Select(t => t.Assignment);
        if (_encoder is null || !_encoder.Fits(seen))
        {
            _encoder = new FeatureEncoder(view.Space, seen, _options.Conditional);
            Reset();
        }

        _encoder.Avoid(pending.Select(t => t.Assignment));
        _gp?.ClearFantasies(); // a series left suspended: it fails if resumed (its tracked points are out of date)
        Synchronize(view, observed);
        var taken = new HashSet<Assignment>(_observed);
        taken.UnionWith(pending.Select(t => t.Assignment));
        taken.UnionWith(failed.Select(t => t.Assignment));

        // Constraints or failures add log P(feasible) to the acquisition; a study with neither takes the path it always did.
        var constrained = _options.ModelFeasibility && view.Definition.HasConstraints;
        var merit = constrained ? Merit() : _values;
        var anyFeasible = !constrained || _feasible.Contains(true);
        // Constrained EI is searched over the whole space (GpOptions.ConstrainedTrustRegion): a region centred on the best
        // feasible result stayed in the first feasible basin it reached (Gardner's toy, docs/gp-constraints.md).
        var useRegion = _options.TrustRegion && (!constrained || _options.ConstrainedTrustRegion);
        var moveEpisodes = _options.CoordinateMovesWhen == CoordinateMoveSchedule.Paying ? _options.CoordinateMoveEpisodes : int.MaxValue;
        var region = useRegion ? TrustRegion.Replay(merit, initial, _encoder.ContinuousFeatures.Count, _known, moveEpisodes, _options.CoordinateMoveBackOff) : default;
        // In a search started over, open suggestions may belong to the region before, so its design counts its own
        // results only, as the first design did before open suggestions counted.
        var own = SearchResults(region.Start);
        if (own.Count + (region.Start == 0 ? pending.Count : 0) < initial)
        {
            design = _sobol.SuggestUntaken(view, taken); // the design of a search started over
            return null;
        }

        design = null;
        if (_features.Count > _options.LocalModelThreshold)
        {
            Focus(_features[own.MaxBy(i => merit[i])], merit);
        }

        // After Focus: past the threshold the feasibility model holds observations chosen around the local model's centre.
        var feasibility = constrained || (_options.ModelFeasibility && view.Failed.Count > 0) ? BuildFeasibility(view, observed, initial, merit) : null;
        Feasibility = feasibility;

        var believable = pending.Count; // open suggestions may be believed best; failures may not
        var gp = _gp!;
        var latentFailures = _options.ModelFeasibility && _options.FailedValueMargin is not null
            ? failed.Where(t => t.State == TrialState.Failed).ToList() : [];
        if (latentFailures.Count > 0)
        {
            gp = WithFailuresAtWorst(gp, latentFailures, _options.FailedValueMargin!.Value, initial, view.Seed);
            pending.AddRange(failed.Where(t => t.State != TrialState.Failed));
        }
        else
        {
            pending.AddRange(failed);
        }

        var seed = SplitMix64.Derive(view.Seed, view.TrialsCreated);
        var d = _encoder.Dimension;
        var pendingFeatures = new List<double[]>(pending.Count);
        foreach (var trial in pending)
        {
            var features = new double[d];
            _encoder.Encode(trial.Assignment, features);
            pendingFeatures.Add(features);
        }

        var round = new Round(this, gp, taken, pendingFeatures, seed);
        if (!anyFeasible)
        {
            // Before any feasible point is known, only the chance of feasibility counts (Gardner et al. 2014).
            round.Acquisition = FeasibilityOnly.Instance;
            Incumbent = double.NegativeInfinity;
            AddFantasies(gp, pendingFeatures, Fantasized(gp, pendingFeatures, _features[own.MaxBy(i => merit[i])]));
        }
        else if (_options.Pending == PendingStrategy.RandomizedUcb)
        {
            var random = new Random(unchecked((int)seed));
            round.Acquisition = new UpperConfidenceBound(-_options.Kappa * Math.Log(1 - random.NextDouble()));
        }
        else
        {
            // Kriging believer: each pending point counts as observed at its posterior mean, so the incumbent is
            // at least that mean too; otherwise EI at a pending point would stay μ − f* and repeat it.
            // A search started over improves on its own best, as TuRBO's restarts do: against the study's best, which
            // lies in the basin it left, log-EI in the new region only sought variance, and the search never converged
            // there (median regret at 200, 80 seeds, sequential / 8 open: Branin 1.11e-7 / 1.25e-9 → 1.06e-7 / 5.1e-10,
            // Hartmann-6 1.9e-6 / 2.6e-7 → 1.6e-6 / 8.3e-8; docs/gp.md).
            // The incumbent is the best feasible result: an infeasible one's value is no bar to improve on.
            var feasibleOwn = constrained ? own.Where(i => _feasible[i]).ToList() : own;
            round.Best = (feasibleOwn.Count > 0 ? feasibleOwn : Enumerable.Range(0, _values.Count).Where(i => _feasible[i])).Max(i => _targets[i]); // the first search's own results are all of them
            var ucb = _options.Acquisition == "ucb";
            if (_options.PendingOutcomeDraws > 0 && !ucb)
            {
                round.Outcomes = new IntegratedExpectedImprovement(round.Best, _options.PendingOutcomeDraws, SplitMix64.Derive(seed, OutcomeStream));
            }

            var means = new double[pending.Count];
            for (var j = 0; j < pending.Count; j++)
            {
                var mean = means[j] = gp.PredictMean(pendingFeatures[j]);
                if (mean > round.Best && j < believable)
                {
                    round.Best = mean;
                    round.BelievedBest = pendingFeatures[j];
                }
            }

            // The believed best, when there is one, is where the trust region is centred (TrustRegionBox).
            var fantasized = Fantasized(gp, pendingFeatures, round.BelievedBest ?? _features[own.MaxBy(i => merit[i])]);
            foreach (var j in fantasized)
            {
                round.Outcomes?.AddPending(means[j]);
            }

            Incumbent = round.Best;
            AddFantasies(gp, pendingFeatures, fantasized);
            round.Acquisition = ucb ? new UpperConfidenceBound(_options.Kappa) : new LogExpectedImprovement(round.Best);
        }

        // Scoring m candidates costs an O(n² m) triangular solve and each refinement step two O(n²) ones: past
        // n = 500 fewer of both keep a suggestion near 20 ms at n = 1,000 with the native provider (latency bench:
        // 23–25 ms with 176 candidates and 10 steps, 16–17 ms with 128 and 5). Below 480 observations nothing changes.
        var candidates = Math.Clamp((int)(1.2e8 / Math.Max(1.0, (double)gp.Count * gp.Count)), 128, _options.Candidates);
        var iterations = gp.Count > 500 ? Math.Max(5, _options.RefineIterations / 4) : _options.RefineIterations;
        round.Optimizer = new AcquisitionOptimizer(_encoder, candidates, _options.Refinements, iterations)
        {
            Feasibility = feasibility,
            CoordinateMoves = LastCoordinateMoves = CoordinateMovesFor(region, anyFeasible),
            GlobalCandidates = (int)(candidates * _options.GlobalShare),
        };
        // Without a feasible point there is no incumbent to centre a region on: the whole space is searched.
        round.Box = Region = useRegion && anyFeasible ? TrustRegionBox(region, own, round.BelievedBest, merit) : null;
        round.Anchors = [.. own.OrderByDescending(i => merit[i]).Take(5).Select(i => _features[i])]; // the current search's best 5: local candidates start there
        // The integrated acquisition reads the candidates' L⁻¹k at the fantasies, which only a tracked search keeps.
        track |= round.Outcomes is not null && pending.Count > 0;
        round.Search = round.Optimizer.Begin(gp, round.Anchors, taken, pendingFeatures, seed, round.Box, track);
        return round;
    }

    /// <summary>The open trials <paramref name="gp"/> carries as fantasies (<see cref="OpenTrialFantasies"/>).</summary>
    private int[] Fantasized(GaussianProcess gp, List<double[]> open, double[] centre) =>
        OpenTrialFantasies.Select(open, centre, gp.Hyperparameters, _options.MaxFantasies);

    /// <summary>Adds the <paramref name="fantasized"/> ones of <paramref name="open"/> to <paramref name="gp"/> as fantasies, in one update.</summary>
    private static void AddFantasies(GaussianProcess gp, List<double[]> open, int[] fantasized)
    {
        var d = gp.Dimension;
        var points = new double[fantasized.Length * d];
        for (var k = 0; k < fantasized.Length; k++)
        {
            open[fantasized[k]].CopyTo(points, k * d);
        }

        gp.AddFantasies(points, fantasized.Length);
    }

    /// <summary>
    /// The coordinate moves of this suggestion's candidates: none without a region (every candidate may go anywhere) or
    /// a feasible incumbent to move, and by default only while the region stalls (<see cref="TrustRegionState.Stalled"/>) and
    /// the moves still pay (<see cref="TrustRegionState.MovesOff"/>).
    /// </summary>
    private int CoordinateMovesFor(TrustRegionState region, bool anyFeasible) =>
        _options.TrustRegion && anyFeasible && _options.CoordinateMovesWhen switch
        {
            CoordinateMoveSchedule.Always => true,
            CoordinateMoveSchedule.Stalled => region.Stalled,
            _ => region.Stalled && !region.MovesOff,
        } ? _options.CoordinateMoves : 0;

    /// <summary>
    /// At most this many of the latest failures count as open suggestions (<see cref="BeginRound"/>): each costs what an
    /// open suggestion does, and <c>max_failures</c> may be as large as the budget.
    /// </summary>
    internal const int MaxFailedAsOpen = 64;

    /// <summary>The stream of the round's seed that draws the open suggestions' outcomes (apart from its candidates').</summary>
    private const long OutcomeStream = 0x4F55_5443;

    /// <summary>
    /// Past the local model's threshold, each component of the feasibility model holds the local model's size over this
    /// many observations, chosen as the local model's are: a constrained study has two or three models besides the
    /// objective's (a constraint's, the failures', the objective's with failures at the worst value), and at the
    /// objective's size they took a suggestion at n = 10,000 past half a second (docs/gp-scale.md).
    /// </summary>
    internal const int LocalFeasibilityShare = 2;

    /// <summary>Past the local model's threshold, the feasibility model holds at most the local model's size over this many failures.</summary>
    internal const int LocalFailureShare = 4;

    /// <summary>
    /// The model of feasibility (docs/gp-constraints.md): a GP per constraint metric over the observations that reported
    /// it, and, once some trial has failed, a GP over the failed (+1) and succeeded (−1) labels of every finished trial,
    /// feasible below 0, so the failing region is learned rather than only its points avoided.
    /// </summary>
    private FeasibilityModel? BuildFeasibility(StudySnapshot view, ObservedTrials observed, int initial, List<double> merit)
    {
        _feasibilityBuilder ??= new FeasibilityModelBuilder(_options.LinearAlgebra, _options.MaxFitPoints);
        var local = _modelIndices is null ? null : new LocalFeasibilityData(
            LocalModelData.Select(_features, merit, _localCentre!, _hyperparameters!, Math.Max(1, _options.LocalModelSize / LocalFeasibilityShare), _options.LocalModelFarShare),
            _localCentre!, _hyperparameters!, _options.LocalModelSize / LocalFailureShare);
        return _feasibilityBuilder.Build(view, observed.Trials, _features, Encode, _options.FailureLabelThreshold, initial, _cancellation, local);
    }

    /// <summary>
    /// The objective's model with the failed trials observed <paramref name="margin"/> standard deviations below the
    /// worst result (<see cref="GpOptions.FailedValueMargin"/>, <see cref="GpOptions.RefitWithFailures"/>): the label model alone is sure of failure only at failed points,
    /// so where the best results lie at the failing region's edge, log-EI there outweighed log P(feasible) and the
    /// edge was probed again and again; a failure observed as the worst value lowers the mean around it instead.
    /// Its hyperparameters follow the objective's refit schedule (<see cref="LatentFit"/>).
    /// </summary>
    private GaussianProcess WithFailuresAtWorst(GaussianProcess gp, List<Trial> failures, double margin, int initial, long seed)
    {
        var rows = _modelIndices ?? [.. Enumerable.Range(0, _features.Count)]; // the objective model's observations
        var n = rows.Length;
        var d = _encoder!.Dimension;
        var x = new double[(n + failures.Count) * d];
        var y = new double[n + failures.Count];
        var targets = StandardizedValues(_features.Count);
        for (var k = 0; k < n; k++)
        {
            _features[rows[k]].CopyTo(x, k * d);
            y[k] = targets[rows[k]];
        }

        var worst = targets.Min() - margin;
        for (var j = 0; j < failures.Count; j++)
        {
            _encoder.Encode(failures[j].Assignment, x.AsSpan((n + j) * d, d));
            y[n + j] = worst;
        }

        var hyperparameters = _options.RefitWithFailures ? LatentFit(x.AsSpan(n * d), failures, margin, initial, seed) : gp.Hyperparameters;
        var latent = new GaussianProcess(hyperparameters, _options.LinearAlgebra);
        latent.SetData(x, y);
        return latent;
    }

    /// <summary>
    /// The hyperparameters of <see cref="WithFailuresAtWorst"/>'s model, fitted from the prior mode at the schedule
    /// points of the observations (<see cref="FitPoint"/>) and of the failures (each its own schedule, so the first
    /// failure is fitted at once), on the first observations and failures of those points: between them a suggestion
    /// reuses the fit and pays only for the model's data, and the fit depends on the study alone.
    /// </summary>
    /// <param name="failureFeatures">The failures' features, in the order of <paramref name="failures"/>.</param>
    /// <param name="failures">The failed trials in the model, in id order.</param>
    /// <param name="margin">Standard deviations below the worst result a failure is observed at.</param>
    /// <param name="initial">The first schedule point.</param>
    /// <param name="seed">The study's seed.</param>
    private GpHyperparameters LatentFit(ReadOnlySpan<double> failureFeatures, List<Trial> failures, double margin, int initial, long seed)
    {
        var n = _features.Count;
        var d = _encoder!.Dimension;
        var observations = FitPoint(n, initial);
        var failed = FitPoint(failures.Count, 1);
        var first = Math.Max(0, observations - _options.MaxFitPoints); // at most the latest MaxFitPoints of them
        var identity = SplitMix64.Derive(observations, first);
        foreach (var trial in failures.Take(failed))
        {
            identity = SplitMix64.Derive(identity, trial.Id);
        }

        if (_latentFits.TryGetValue((observations, failed, identity), out var cached))
        {
            return cached;
        }

        var m = observations - first;
        var fitX = new double[(m + failed) * d];
        for (var k = 0; k < m; k++)
        {
            _features[first + k].CopyTo(fitX, k * d);
        }

        failureFeatures[..(failed * d)].CopyTo(fitX.AsSpan(m * d));
        var targets = Targets(_values.GetRange(first, m), _warp, out _);
        var fitY = new double[m + failed];
        targets.CopyTo(fitY, 0);
        Array.Fill(fitY, targets.Min() - margin, m, failed);
        var fit = HyperparameterFitter.Fit(fitX, fitY, d, 0, SplitMix64.Derive(seed, m + failed), out _, _options.LinearAlgebra, cancellationToken: _cancellation);
        _latentFits[(observations, failed, identity)] = fit;
        return fit;
    }

    private double[] Encode(Assignment assignment)
    {
        var features = new double[_encoder!.Dimension];
        _encoder.Encode(assignment, features);
        return features;
    }

    /// <summary>
    /// The values the trust region follows in a constrained study: an infeasible result ranks below every feasible
    /// one (by a margin of the observed range), so the region centres on, and improves from, the best feasible result.
    /// </summary>
    private List<double> Merit()
    {
        var low = _values.Min() - (_values.Max() - _values.Min()) - 1;
        return [.. _values.Select((v, i) => _feasible[i] ? v : low)];
    }

    /// <summary>The trials the model is fitted on: the completed ones, and the pruned ones when they count as observations.</summary>
    private ObservedTrials Observations(StudySnapshot view) =>
        _options.PrunedTrials is PrunedTrialUse.LastValue or PrunedTrialUse.Extrapolated ? ObservedTrials.WithPruned(view) : ObservedTrials.CompletedOf(view);

    /// <summary>Failed trials, and pruned ones when they count as open suggestions that never report, in id order.</summary>
    private IEnumerable<Trial> NeverReporting(StudySnapshot view) =>
        _options.PrunedTrials == PrunedTrialUse.Pending
            ? view.Trials.Where(t => t.State is TrialState.Failed or TrialState.Pruned)
            : view.Failed;

    private void Synchronize(StudySnapshot view, ObservedTrials observed)
    {
        var completed = observed.Trials;
        if (completed.Count < _features.Count || !GrewFrom(completed))
        {
            Reset(); // a different study (or a rewound one, or a pruned trial that finished before a completed one already in): start over
        }

        var maximize = view.Definition.Objective.Objective == MetricObjective.Maximize;
        for (var i = _features.Count; i < completed.Count; i++)
        {
            var features = new double[_encoder!.Dimension];
            _encoder.Encode(completed[i].Assignment, features);
            _features.Add(features);
            var value = observed.ValueOf(i, view.Definition.Objective.Name, _options.PrunedTrials == PrunedTrialUse.Extrapolated);
            _values.Add(maximize ? value : -value);
            _known.Add(observed.KnownAt(completed[i]));
            _observed.Add(completed[i].Assignment);
            _feasible.Add(FeasibilityModelBuilder.IsFeasible(view.Definition, completed[i]));
            _observedIds.Add(completed[i].Id);
        }

        var n = _features.Count;
        var initial = Math.Max(GpAlgorithmProvider.ReadOptions(view.Definition).InitialPoints ?? Math.Max(5, view.Space.Dimension + 1), 2);
        var fitAt = FitPoint(n, initial);
        var nudgeAt = NudgePoint(n, fitAt, _options.MaxFitPoints);
        if (n > _options.LocalModelThreshold)
        {
            if (_hyperparameters is null || fitAt != _fittedAt || nudgeAt != _nudgedAt)
            {
                var scheduled = ScheduledFit(fitAt, initial, view.Seed);
                _fittedAt = fitAt;
                _hyperparameters = nudgeAt == fitAt ? scheduled : Nudge(scheduled, nudgeAt, view.Seed);
                _nudgedAt = nudgeAt;
            }

            Standardize();
            return; // the model is fitted once the search's best point is known (Focus)
        }

        if (_gp is null || _modelIndices is not null || fitAt != _fittedAt || nudgeAt != _nudgedAt)
        {
            var scheduled = ScheduledFit(fitAt, initial, view.Seed);
            _fittedAt = fitAt;
            var hyperparameters = nudgeAt == fitAt ? scheduled : Nudge(scheduled, nudgeAt, view.Seed);
            Standardize();
            _gp = new GaussianProcess(hyperparameters, _options.LinearAlgebra, _options.Engine);
            _gp.SetData(Flatten(n), StandardizedValues(n));
            (_hyperparameters, _modelIndices) = (hyperparameters, null);
            _nudgedAt = nudgeAt;
            return;
        }

        Standardize();
        for (var i = _gp.ObservationCount; i < n; i++)
        {
            _gp.AddObservation(_features[i], 0); // targets are set together below
        }

        _gp.SetTargets(StandardizedValues(n));
    }

    /// <summary>
    /// Fits the model on the observations <see cref="LocalModelData"/> keeps around <paramref name="centre"/>, the
    /// search's best point, under the hyperparameters of the whole study's schedule and with the targets standardized
    /// over all observations, so that around the centre it predicts close to what the model of all n would: a suggestion
    /// then costs what one at <see cref="GpOptions.LocalModelSize"/> observations does (docs/gp-scale.md). When the same
    /// observations are kept under the same hyperparameters only the targets are replaced.
    /// </summary>
    private void Focus(double[] centre, List<double> merit)
    {
        var hyperparameters = _hyperparameters!;
        var kept = LocalModelData.Select(_features, merit, centre, hyperparameters, _options.LocalModelSize, _options.LocalModelFarShare);
        var targets = new double[kept.Length];
        for (var k = 0; k < kept.Length; k++)
        {
            targets[k] = _targets[kept[k]];
        }

        if (_gp is not null && _modelIndices is not null && ReferenceEquals(_gp.Hyperparameters, hyperparameters) && _modelIndices.AsSpan().SequenceEqual(kept))
        {
            _localCentre = centre;
            _gp.SetTargets(targets);
            return;
        }

        var d = _encoder!.Dimension;
        var x = new double[kept.Length * d];
        for (var k = 0; k < kept.Length; k++)
        {
            _features[kept[k]].CopyTo(x, k * d);
        }

        _gp = new GaussianProcess(hyperparameters, _options.LinearAlgebra, _options.Engine);
        _gp.SetData(x, targets);
        _modelIndices = kept;
        _localCentre = centre;
    }

    /// <summary>
    /// Growth of the refit schedule: 8 refits in a 100-trial run instead of 13 at 1.2, with the same regrets at
    /// 20 seeds (docs/gp.md); between refits observations extend the factor.
    /// </summary>
    internal const double RefitGrowth = 1.35;

    /// <summary>
    /// The last point of the refit schedule s₀ = initial, s_{k+1} = max(s_k + 1, ⌊1.35 s_k⌋) that is ≤ n; n itself below
    /// s₀ (a model made while design points are still open: each such n gets its own fit, which no later fit builds on).
    /// </summary>
    internal static int FitPoint(int n, int initial)
    {
        var point = initial;
        while (true)
        {
            var next = Math.Max(point + 1, (int)(point * RefitGrowth));
            if (next > n)
            {
                return Math.Min(point, n);
            }

            point = next;
        }
    }

    /// <summary>
    /// Cost scale of the nudges between scheduled fits: with m observations in the fit (at most
    /// <see cref="GpOptions.MaxFitPoints"/>), one comes every max(1, ⌊m² / 1200⌋) observations, so an O(m³) fit
    /// costs O(1200 m) per observation, about what the factor's O(n²) extension costs. Every observation up to
    /// m = 34, every 8th at m = 100. Tracking the data this way took Ackley-10 regret at 100 evaluations from 6.3 to
    /// 4.3 (30 seeds, docs/gp.md); fits only on the schedule left the length scales of a zoomed-out model in force
    /// while the trust region zoomed in.
    /// </summary>
    internal const double NudgeCost = 1200;

    /// <summary>Gradient steps of a nudge: 3 measured better than 1 (Ackley-10 4.7) and than 5 or 15 (4.2, 4.6).</summary>
    internal const int NudgeSteps = 3;

    /// <summary>Gradient steps of a scheduled fit, which starts from the previous scheduled fit.</summary>
    internal const int FitSteps = 20;

    /// <summary>
    /// The observation count whose hyperparameters are in force at <paramref name="n"/>: the latest nudge point
    /// fitAt + k·j ≤ n, with k fixed for the schedule period, so it depends on n alone.
    /// </summary>
    internal static int NudgePoint(int n, int fitAt, int maxFitPoints)
    {
        var m = Math.Min(fitAt, maxFitPoints);
        var k = Math.Max(1, (int)(m * (double)m / NudgeCost));
        return fitAt + (k * ((n - fitAt) / k));
    }

    private GpHyperparameters Nudge(GpHyperparameters scheduled, int count, long seed)
    {
        var (x, values) = FitData(count, seed);
        return HyperparameterFitter.Climb(x, Targets(values, _warp, out _), _encoder!.Dimension, scheduled.Theta, NudgeSteps, out _, _options.LinearAlgebra, cancellationToken: _cancellation);
    }

    /// <summary>
    /// The fit at schedule point <paramref name="count"/>, climbing from the fit at the previous point (computed first
    /// when this sampler has not seen it: a resumed study replays the O(log n) schedule once).
    /// </summary>
    private GpHyperparameters ScheduledFit(int count, int initial, long seed)
    {
        if (_scheduledFits.TryGetValue(count, out var cached))
        {
            _warp = cached.Warp;
            return cached.Fit;
        }

        var previous = -1;
        for (var point = initial; point < count; point = Math.Max(point + 1, (int)(point * RefitGrowth)))
        {
            previous = point;
        }

        var fit = FitHyperparameters(count, seed, previous < 0 ? null : ScheduledFit(previous, initial, seed).Theta);
        _scheduledFits[count] = (fit, _warp);
        return fit;
    }

    private (double[] X, List<double> Values) FitData(int count, long seed)
    {
        var indices = Enumerable.Range(0, count).ToList();
        if (count > _options.MaxFitPoints)
        {
            var random = new Random(unchecked((int)SplitMix64.Derive(seed, -count)));
            indices = [.. indices.OrderBy(_ => random.Next()).Take(_options.MaxFitPoints).Order()];
        }

        var d = _encoder!.Dimension;
        var x = new double[indices.Count * d];
        for (var k = 0; k < indices.Count; k++)
        {
            _features[indices[k]].CopyTo(x, k * d);
        }

        return (x, [.. indices.Select(i => _values[i])]);
    }

    /// <summary>
    /// Fits on the first <paramref name="count"/> observations, scaled on their own, so the result depends on
    /// them alone: the first fit of the schedule by bounded BFGS from the prior mode, later ones by
    /// <see cref="FitSteps"/> gradient steps from <paramref name="start"/>, the previous fit.
    /// </summary>
    private GpHyperparameters FitHyperparameters(int count, long seed, double[]? start)
    {
        var (x, values) = FitData(count, seed);
        var d = _encoder!.Dimension;
        var fitSeed = SplitMix64.Derive(seed, count);
        GpHyperparameters Solve(double[] targets, out double score) => start is null
            ? HyperparameterFitter.Fit(x, targets, d, 0, fitSeed, out score, _options.LinearAlgebra, cancellationToken: _cancellation)
            : HyperparameterFitter.Climb(x, targets, d, start, FitSteps, out score, _options.LinearAlgebra, cancellationToken: _cancellation);

        if (_options.Warping != OutputWarping.Auto)
        {
            _warp = _options.Warping == OutputWarping.Log;
            var fixedTargets = Targets(values, _warp, out _);
            var solved = Solve(fixedTargets, out _);
            return _options.FitRestarts == 0 ? solved
                : HyperparameterFitter.Fit(x, fixedTargets, d, _options.FitRestarts, fitSeed, out _, _options.LinearAlgebra, [.. solved.Theta], fromMode: false, cancellationToken: _cancellation);
        }

        // Warped or not, whichever explains the values better: posterior densities compared in the original units,
        // so each transform's log Jacobian counts (a warp that merely stretches the data gains nothing).
        // Both start from the same point; only the winner gets the random restarts.
        var warpedTargets = Targets(values, warp: true, out var warpedJacobian);
        var plainTargets = Targets(values, warp: false, out var plainJacobian);
        var warped = Solve(warpedTargets, out var warpedScore);
        var plain = Solve(plainTargets, out var plainScore);
        _warp = warpedScore + warpedJacobian >= plainScore + plainJacobian;
        var (screened, targets) = _warp ? (warped, warpedTargets) : (plain, plainTargets);
        return _options.FitRestarts == 0 ? screened
            : HyperparameterFitter.Fit(x, targets, d, _options.FitRestarts, fitSeed, out _, _options.LinearAlgebra, [.. screened.Theta], fromMode: false, cancellationToken: _cancellation);
    }

    /// <summary>
    /// The prior mean lies at most this many standard deviations below the targets' mean: one catastrophic value
    /// must not pull it, and every other target, far from the rest (nor ask the N(0, 1) prior on log σ² for a
    /// variance of n). Ackley-10's worst lies about 1.2 sd below its mean, so the cap leaves it alone.
    /// </summary>
    internal const double MaxPriorMeanShift = 2;

    private void Standardize() => _targets = Targets(_values, _warp, out _);

    /// <summary>
    /// Model targets from objective values in maximization form: with <paramref name="warp"/>, −log(1 + (best − v)/s)
    /// with s the median distance to the best, then divided by their standard deviation and shifted so that the worst
    /// is 0; also the log Jacobian of that map. The warp keeps resolution near the best and tames heavy tails
    /// (Rosenbrock-4 regret at 100 evaluations went from 18 to 2.6 with it; docs/gp.md has the table) but flattens
    /// bounded, rugged surfaces (Ackley), hence <see cref="OutputWarping.Auto"/>.
    /// The shift makes the worst observation the GP's prior mean, as De Ath et al. (2020, "What do you mean? The
    /// role of the mean function in Bayesian optimisation") recommend: with the mean of the targets there, a model
    /// whose data had improved predicted better than typical values far from every observation, and log-EI sent
    /// suggestions to the corners of the trust region (Ackley-10: regret-21 points around a regret-5 best). Ackley-10
    /// regret at 100 evaluations went 4.38 → 3.68 (120 seeds; 3.53 with the length-scale pull of <see cref="Model.GpPriors"/>).
    /// </summary>
    internal static double[] Targets(List<double> values, bool warp, out double logJacobian)
    {
        var n = values.Count;
        var warped = new double[n];
        logJacobian = 0;
        if (warp)
        {
            var best = values.Max();
            var distances = values.Select(v => best - v).Order().ToArray();
            var scale = distances[n / 2] > 0 ? distances[n / 2] : (distances[^1] > 0 ? distances[^1] : 1);
            for (var i = 0; i < n; i++)
            {
                warped[i] = -NormalMath.Log1P((best - values[i]) / scale);
                logJacobian -= Math.Log(scale + best - values[i]);
            }
        }
        else
        {
            values.CopyTo(warped);
        }

        var mean = warped.Average();
        var sd = Math.Sqrt(warped.Sum(v => (v - mean) * (v - mean)) / n);
        sd = sd > 0 ? sd : 1;
        logJacobian -= n * Math.Log(sd);
        var worst = Math.Max(warped.Min(), mean - (MaxPriorMeanShift * sd));
        for (var i = 0; i < n; i++)
        {
            warped[i] = (warped[i] - worst) / sd;
        }

        return warped;
    }

    private double[] StandardizedValues(int n) => _targets.Length == n ? _targets : throw new InvalidOperationException("targets are out of date");

    private double[] Flatten(int n)
    {
        var d = _encoder!.Dimension;
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            _features[i].CopyTo(x, i * d);
        }

        return x;
    }

    /// <summary>
    /// The region of the current search, around the best of <paramref name="own"/>, its results (not the study's best,
    /// when it started over) — or around
    /// <paramref name="believedBest"/>, the pending suggestion the model believes better than every observation: with
    /// 8 open suggestions a descent then goes on from where the model expects the open ones to have got it, instead
    /// of going back to the last best result 8 evaluations behind (8 open, 80 seeds, median regret: Hartmann-6 at 50 /
    /// 75 / 100 evaluations 0.19 / 0.013 / 6.2e-5 → 0.13 / 2.2e-3 / 2.2e-5, Rosenbrock-4 at 50 44 → 22; docs/gp.md).
    /// A search that started over follows a believed point only inside its own region: suggestions still open from
    /// the region before would pull it back to the basin it left.
    /// </summary>
    private SearchBox TrustRegionBox(TrustRegionState region, List<int> own, double[]? believedBest, List<double> merit)
    {
        // The region bounds the parameters active at its centre; the others span their whole range (another branch's).
        // With BranchRegions, it bounds only the candidates of the centre's branch (AcquisitionOptimizer.BoxFor).
        SearchBox Around(double[] centre) => TrustRegion.Around(centre, region.Length, _gp!.Hyperparameters, _encoder!.ActiveContinuous(centre)) with
        {
            Centre = _encoder.HasConditions && _options.BranchRegions ? centre : null,
        };
        if (believedBest is not null && region.Start == 0)
        {
            return Around(believedBest);
        }

        var home = Around(_features[own.MaxBy(i => merit[i])]);
        return believedBest is not null && home.Contains(believedBest) ? Around(believedBest) : home;
    }

    /// <summary>The results of the search that began at result <paramref name="start"/> (<see cref="TrustRegion.BelongsTo"/>).</summary>
    private List<int> SearchResults(int start) =>
        [.. Enumerable.Range(start, _values.Count - start).Where(i => TrustRegion.BelongsTo(i, start, _known))];

    /// <summary>True when the first trials of <paramref name="observations"/> are the ones the model already holds, in order.</summary>
    private bool GrewFrom(IReadOnlyList<Trial> observations)
    {
        for (var i = 0; i < _observedIds.Count; i++)
        {
            if (observations[i].Id != _observedIds[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Reset()
    {
        _features.Clear();
        _observedIds.Clear();
        _values.Clear();
        _feasible.Clear();
        _known.Clear();
        _observed.Clear();
        _gp = null;
        _hyperparameters = null;
        _modelIndices = null;
        _fittedAt = 0;
        _nudgedAt = 0;
        _scheduledFits.Clear();
        _latentFits.Clear();
    }

    /// <summary>No objective term: the acquisition before any feasible point is known, where log P(feasible) alone is maximized.</summary>
    private sealed class FeasibilityOnly : IAcquisition
    {
        public static FeasibilityOnly Instance { get; } = new();

        public double Value(double mean, double sd, out double dMean, out double dSd)
        {
            dMean = 0;
            dSd = 0;
            return 0;
        }
    }

    /// <summary>What one suggestion, or one series of them, works with.</summary>
    private sealed class Round(GpSampler sampler, GaussianProcess gp, HashSet<Assignment> taken, List<double[]> pending, long seed)
    {
        public GaussianProcess Model => gp;

        public IAcquisition Acquisition { get; set; } = null!;

        /// <summary>The incumbent of log-EI: the best target, or a pending point's mean if higher (kriging believer).</summary>
        public double Best { get; set; }

        /// <summary>The pending point believed best, when one is believed better than every observation.</summary>
        public double[]? BelievedBest { get; set; }

        public AcquisitionOptimizer Optimizer { get; set; } = null!;

        public SearchBox? Box { get; set; }

        public List<double[]> Anchors { get; set; } = [];

        public AcquisitionSearch Search { get; set; } = null!;

        /// <summary>What the candidates are scored by while suggestions are open, when log-EI is integrated over their outcomes.</summary>
        public IntegratedExpectedImprovement? Outcomes { get; set; }

        private long _decodes;

        /// <summary>The next suggestion of <see cref="Search"/>, <paramref name="refinements"/> candidates refined.</summary>
        public Assignment? Next(int refinements)
        {
            BeginDecoding();
            return Search.Next(Acquisition, refinements, Outcomes);
        }

        /// <summary>A suggestion just made is believed at its posterior mean, which can raise log-EI's incumbent.</summary>
        public void Believe(double[] features)
        {
            if (Acquisition is LogExpectedImprovement)
            {
                var mean = gp.PredictMean(features);
                Outcomes?.AddPending(mean);
                Best = Math.Max(Best, mean);
                Acquisition = new LogExpectedImprovement(Best);
            }
        }

        /// <summary>
        /// When the candidates in the region are all taken (a small discrete space): the whole space, and if even
        /// that finds nothing new, the first Sobol point not taken.
        /// </summary>
        public Assignment Fallback(StudySnapshot view)
        {
            BeginDecoding();
            return (Box is null ? null : Optimizer.Optimize(gp, Acquisition, Anchors, taken, pending, seed))
                ?? sampler._sobol.SuggestUntaken(view, taken);
        }

        /// <summary>
        /// Each search of the round decodes a wide categorical's shared column to its own unseen value, fixed by the
        /// round's seed (so a resumed study decodes the same), and none is computed once a stop was asked for.
        /// </summary>
        private void BeginDecoding()
        {
            sampler._cancellation.ThrowIfCancellationRequested();
            sampler._encoder!.Salt = SplitMix64.Derive(seed, ++_decodes);
        }
    }
}
