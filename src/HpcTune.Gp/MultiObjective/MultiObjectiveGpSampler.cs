using HpcTune.Gp.Acquisition;
using HpcTune.Gp.Model;
using HpcTune.Gp.Sampling;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Gp.MultiObjective;

/// <summary>
/// The GP with two to four objectives: the first <c>initial_points</c> trials are Sobol points (open ones included, as
/// with one objective); after that a GP per objective (Matérn-5/2, each objective standardized on its own, the worst
/// value as the prior mean) and <see cref="MultiObjectiveMethod.Ehvi"/> (log EHVI over the models' independent
/// predictions), or <see cref="MultiObjectiveMethod.Parego"/> (one GP on a fresh augmented Chebyshev scalarization per
/// suggestion, log EI). Open suggestions, and recent failures, are fantasies of every model at their posterior means
/// (kriging believer); open suggestions' believed outcomes also join the front EHVI improves on, or raise ParEGO's
/// incumbent. Hyperparameters are refitted on <see cref="GpSampler"/>'s schedule (every 35 % more observations) and
/// depend on the observations alone, so a fresh sampler over the same snapshot suggests the same points.
/// </summary>
internal sealed class MultiObjectiveGpSampler : ISampler
{
    /// <summary>Gradient steps that adapt a scheduled ParEGO fit to the current suggestion's scalarization.</summary>
    internal const int ParegoClimbSteps = 10;

    private readonly MultiObjectiveMethod _method;
    private readonly GpOptions _options;
    private readonly SobolSampler _sobol = new();
    private readonly Dictionary<(int Model, int Count), GpHyperparameters> _fits = [];
    private readonly List<long> _fittedIds = [];
    private FeatureEncoder? _encoder;
    private FeasibilityModelBuilder? _feasibilityBuilder;
    private CancellationToken _cancellation;

    /// <summary>A sampler with the acquisition <paramref name="method"/>.</summary>
    public MultiObjectiveGpSampler(MultiObjectiveMethod method, GpOptions? options = null)
    {
        _method = method;
        _options = options ?? new GpOptions();
    }

    /// <inheritdoc/>
    public string Name => "gp";

    /// <summary>The acquisition in use.</summary>
    internal MultiObjectiveMethod Method => _method;

    /// <summary>log P(feasible) added to the acquisition, where a constraint or failure model supplies one.</summary>
    internal IFeasibilityScore? Feasibility { get; init; }

    /// <inheritdoc/>
    /// <remarks>The suggestions of a batch are made one after the other, each with the ones before it open.</remarks>
    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _cancellation = cancellation;
        var made = new List<Assignment>(count);
        var current = snapshot;
        while (made.Count < count)
        {
            cancellation.ThrowIfCancellationRequested();
            var next = SuggestOne(current);
            made.Add(next);
            if (made.Count < count)
            {
                current = current.WithPending(next);
            }
        }

        return made;
    }

    private Assignment SuggestOne(StudySnapshot view)
    {
        var definition = view.Definition;
        var objectives = definition.Objectives;
        var k = objectives.Count;
        var initial = Math.Max(GpAlgorithmProvider.ReadOptions(definition).InitialPoints ?? Math.Max(5, view.Space.Dimension + 1), 2);
        var observed = view.Completed.Where(t => t.Values is { } v && objectives.All(m => v.ContainsKey(m.Name))).ToList();
        var pending = view.Pending.ToList();
        var failed = view.Failed.TakeLast(GpSampler.MaxFailedAsOpen).ToList();
        if (observed.Count < 2 || observed.Count + pending.Count < initial)
        {
            return _sobol.SuggestUntaken(view, observed.Concat(pending).Select(t => t.Assignment).ToHashSet());
        }

        var seen = observed.Concat(failed).Select(t => t.Assignment).ToList();
        if (_encoder is null || !_encoder.Fits(seen) || !Extends(observed))
        {
            _encoder = new FeatureEncoder(view.Space, seen);
            _fits.Clear();
            _fittedIds.Clear();
        }

        _fittedIds.AddRange(observed.Skip(_fittedIds.Count).Select(t => t.Id));
        _encoder.Avoid(pending.Select(t => t.Assignment));
        var seed = SplitMix64.Derive(view.Seed, view.TrialsCreated);
        _encoder.Salt = seed;
        var d = _encoder.Dimension;
        var n = observed.Count;
        var x = new double[n * d];
        for (var i = 0; i < n; i++)
        {
            _encoder.Encode(observed[i].Assignment, x.AsSpan(i * d, d));
        }

        // Minimized objective values, one row per observation.
        var signs = objectives.Select(m => m.Objective == MetricObjective.Maximize ? -1.0 : 1.0).ToArray();
        var u = observed.Select(t => objectives.Select((m, j) => signs[j] * t.Values![m.Name]).ToArray()).ToList();
        var taken = observed.Concat(pending).Concat(failed).Select(t => t.Assignment).ToHashSet();
        var believable = pending.Count;
        var openFeatures = pending.Concat(failed).Select(t =>
        {
            var features = new double[d];
            _encoder.Encode(t.Assignment, features);
            return features;
        }).ToList();
        var fantasies = openFeatures.SelectMany(f => f).ToArray();

        // Constraint metrics and failures as the probability of feasibility, as with one objective: only feasible
        // observations make the front (or ParEGO's incumbent); with none yet, log P(feasible) alone is maximized.
        var feasible = observed.Select(t => FeasibilityModelBuilder.IsFeasible(definition, t)).ToArray();
        var anyFeasible = feasible.Any(f => f);
        var feasibility = Feasibility ?? FeasibilityOf(view, observed, x, d, initial);
        // Every term scores the candidates feature-major (pointsT[f * m + j]): transposed once per batch, below.
        Action<double[], int, double[]> scoreT;
        List<double[]> anchors;
        if (_method == MultiObjectiveMethod.Ehvi)
        {
            var models = new GaussianProcess[k];
            var front = new List<double[]>();
            var modelU = new double[n][];
            for (var i = 0; i < n; i++)
            {
                modelU[i] = new double[k];
            }

            for (var j = 0; j < k; j++)
            {
                var column = j;
                var targets = GpSampler.Targets([.. u.Select(r => -r[column])], warp: false, out _);
                models[j] = new GaussianProcess(ScheduledFit(j, FitPoint(n, initial), initial, x, c => GpSampler.Targets([.. u.Take(c).Select(r => -r[column])], warp: false, out _), view.Seed), _options.LinearAlgebra);
                models[j].SetData(x, targets);
                for (var i = 0; i < n; i++)
                {
                    modelU[i][j] = -targets[i];
                }
            }

            var reference = new double[k];
            for (var j = 0; j < k; j++)
            {
                var worst = modelU.Max(r => r[j]);
                var range = worst - modelU.Min(r => r[j]);
                reference[j] = worst + (Tuning.Hypervolume.ReferenceMargin * (range > 0 ? range : 1));
            }

            front.AddRange(modelU.Where((_, i) => feasible[i] || !anyFeasible));
            for (var p = 0; p < believable; p++)
            {
                front.Add([.. models.Select(gp => -gp.PredictMean(openFeatures[p]))]); // believed at the means
            }

            foreach (var gp in models)
            {
                gp.AddFantasies(fantasies, openFeatures.Count);
            }

            var ehvi = new LogExpectedHypervolumeImprovement(NonDominatedCells.Of(front, reference));
            scoreT = (pointsT, m, scores) =>
            {
                var means = new double[k][];
                var variances = new double[k][];
                for (var j = 0; j < k; j++)
                {
                    means[j] = new double[m];
                    variances[j] = new double[m];
                    models[j].Predict(pointsT, m, means[j], variances[j]);
                }

                var mean = new double[k];
                var sd = new double[k];
                for (var c = 0; c < m; c++)
                {
                    for (var j = 0; j < k; j++)
                    {
                        mean[j] = -means[j][c];
                        sd[j] = Math.Sqrt(variances[j][c]);
                    }

                    scores[c] = ehvi.Value(mean, sd);
                }
            };
            var onFront = Tuning.Hypervolume.NonDominated([.. modelU.Where((_, i) => feasible[i] || !anyFeasible)], k).ToHashSet();
            anchors = [.. Enumerable.Range(0, n).Where(i => (feasible[i] || !anyFeasible) && onFront.Contains(modelU[i])).Reverse().Take(MaxAnchors).Select(i => x.AsSpan(i * d, d).ToArray())];
        }
        else
        {
            var scalarization = new ParegoScalarization(u, seed);
            var targets = GpSampler.Targets([.. u.Select(r => -scalarization.Value(r))], warp: false, out _);
            var scheduled = ScheduledFit(-1, FitPoint(n, initial), initial, x, c => ParegoTargets(u, c, view.Seed), view.Seed);
            var gp = new GaussianProcess(HyperparameterFitter.Climb(x, targets, d, scheduled.Theta, ParegoClimbSteps, out _, _options.LinearAlgebra), _options.LinearAlgebra);
            gp.SetData(x, targets);
            var best = anyFeasible ? targets.Where((_, i) => feasible[i]).Max() : targets.Max();
            for (var p = 0; p < believable; p++)
            {
                best = Math.Max(best, gp.PredictMean(openFeatures[p]));
            }

            gp.AddFantasies(fantasies, openFeatures.Count);
            var ei = new LogExpectedImprovement(best);
            scoreT = (pointsT, m, scores) =>
            {
                var mean = new double[m];
                var variance = new double[m];
                gp.Predict(pointsT, m, mean, variance);
                for (var c = 0; c < m; c++)
                {
                    scores[c] = ei.Score(mean[c], Math.Sqrt(variance[c]));
                }
            };
            anchors = [.. Enumerable.Range(0, n).OrderByDescending(i => targets[i]).Take(5).Select(i => x.AsSpan(i * d, d).ToArray())];
        }

        if (feasibility is not null)
        {
            if (!anyFeasible)
            {
                scoreT = (_, m, scores) => Array.Clear(scores, 0, m); // nothing feasible to improve on yet
            }

            var acquisition = scoreT;
            scoreT = (pointsT, m, scores) =>
            {
                acquisition(pointsT, m, scores);
                feasibility.AddLogFeasibility(pointsT, m, scores);
            };
        }

        var search = new CandidateSearch(_encoder, _options.Candidates, _options.Refinements);
        return search.Best((points, m, scores) => scoreT(Transpose(points, m, d), m, scores), anchors, taken, openFeatures, seed) ?? _sobol.SuggestUntaken(view, taken);
    }

    /// <summary>The study's constraint and failure models (<see cref="FeasibilityModelBuilder.Build(StudySnapshot, IReadOnlyList{Trial}, IReadOnlyList{double[]}, Func{Assignment, double[]}, double, int, CancellationToken, LocalFeasibilityData)"/>), or null.</summary>
    private FeasibilityScore? FeasibilityOf(StudySnapshot view, List<Trial> observed, double[] x, int d, int initial)
    {
        if (!_options.ModelFeasibility || (!view.Definition.HasConstraints && view.Failed.Count == 0))
        {
            return null;
        }

        _feasibilityBuilder ??= new FeasibilityModelBuilder(_options.LinearAlgebra, _options.MaxFitPoints);
        var features = Enumerable.Range(0, observed.Count).Select(i => x.AsSpan(i * d, d).ToArray()).ToList();
        var model = _feasibilityBuilder.Build(view, observed, features, a =>
        {
            var f = new double[d];
            _encoder!.Encode(a, f);
            return f;
        }, _options.FailureLabelThreshold, initial, _cancellation);
        return model is null ? null : new FeasibilityScore(model);
    }

    /// <summary>log P(feasible) from the single-objective GP's <see cref="FeasibilityModel"/>.</summary>
    private sealed class FeasibilityScore(FeasibilityModel model) : IFeasibilityScore
    {
        public void AddLogFeasibility(ReadOnlySpan<double> pointsT, int m, Span<double> scores)
        {
            var logP = new double[m];
            model.LogProbabilities(pointsT, m, logP);
            for (var j = 0; j < m; j++)
            {
                scores[j] += logP[j];
            }
        }
    }

    /// <summary>At most this many points of the front (the latest) seed local candidates.</summary>
    internal const int MaxAnchors = 8;

    /// <summary>The fit schedule of <see cref="GpSampler.FitPoint"/>.</summary>
    private static int FitPoint(int n, int initial) => GpSampler.FitPoint(n, initial);

    /// <summary>
    /// ParEGO's model targets at a schedule point: the first <paramref name="count"/> observations scalarized with
    /// weights that depend on the seed and the count alone, so the scheduled fit is the same for every suggestion.
    /// </summary>
    private static double[] ParegoTargets(List<double[]> u, int count, long seed)
    {
        var first = u.Take(count).ToList();
        var scalarization = new ParegoScalarization(first, SplitMix64.Derive(seed, -count));
        return GpSampler.Targets([.. first.Select(r => -scalarization.Value(r))], warp: false, out _);
    }

    /// <summary>
    /// The hyperparameters of model <paramref name="model"/> (an objective, or −1 for ParEGO's) at schedule point
    /// <paramref name="count"/>: the first by BFGS from the prior mode, each later one by <see cref="GpSampler.FitSteps"/>
    /// gradient steps from the one before, each on the first count observations alone.
    /// </summary>
    private GpHyperparameters ScheduledFit(int model, int count, int initial, double[] x, Func<int, double[]> targets, long seed)
    {
        if (_fits.TryGetValue((model, count), out var cached))
        {
            return cached;
        }

        var previous = -1;
        for (var point = initial; point < count; point = Math.Max(point + 1, (int)(point * GpSampler.RefitGrowth)))
        {
            previous = point;
        }

        var d = _encoder!.Dimension;
        var (fitX, fitY) = FitData(x, targets(count), count, d, seed);
        var fit = previous < 0
            ? HyperparameterFitter.Fit(fitX, fitY, d, 0, SplitMix64.Derive(seed, count), out _, _options.LinearAlgebra)
            : HyperparameterFitter.Climb(fitX, fitY, d, ScheduledFit(model, previous, initial, x, targets, seed).Theta, GpSampler.FitSteps, out _, _options.LinearAlgebra);
        _fits[(model, count)] = fit;
        return fit;
    }

    /// <summary>The first <paramref name="count"/> observations, or a seeded subset of <see cref="GpOptions.MaxFitPoints"/> of them.</summary>
    private (double[] X, double[] Y) FitData(double[] x, double[] y, int count, int d, long seed)
    {
        var indices = Enumerable.Range(0, count).ToList();
        if (count > _options.MaxFitPoints)
        {
            var random = new Random(unchecked((int)SplitMix64.Derive(seed, -count)));
            indices = [.. indices.OrderBy(_ => random.Next()).Take(_options.MaxFitPoints).Order()];
        }

        var fitX = new double[indices.Count * d];
        for (var i = 0; i < indices.Count; i++)
        {
            x.AsSpan(indices[i] * d, d).CopyTo(fitX.AsSpan(i * d, d));
        }

        return (fitX, [.. indices.Select(i => y[i])]);
    }

    /// <summary>True when the observations the fits were made on are the first ones of <paramref name="observed"/>, in order.</summary>
    private bool Extends(List<Trial> observed) =>
        observed.Count >= _fittedIds.Count && _fittedIds.Select((id, i) => observed[i].Id == id).All(same => same);

    private static double[] Transpose(double[] points, int m, int d)
    {
        var transposed = new double[d * m];
        for (var j = 0; j < m; j++)
        {
            for (var f = 0; f < d; f++)
            {
                transposed[(f * m) + j] = points[(j * d) + f];
            }
        }

        return transposed;
    }
}
