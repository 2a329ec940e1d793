using HpcTune.Gp.Acquisition;
using HpcTune.Gp.LinearAlgebra;
using HpcTune.Gp.Model;
using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Study;
using HpcTune.Trials;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// log P(feasible) at candidate features: one GP per outcome that must stay at or below a threshold (a constraint
/// metric, or the failed/succeeded label of the finished trials), each with its own hyperparameters, the components
/// taken as independent, so log P(feasible) = Σ_k log Φ((t_k − μ_k(x)) / σ_k(x)) (Gardner et al. 2014, "Bayesian
/// Optimization with Inequality Constraints"). Summed in log space with <see cref="NormalMath.LogCdf"/>, so a point
/// whose feasibility is a 1e-30 chance still ranks above one of 1e-300, where a product of probabilities underflows.
/// Built by <see cref="FeasibilityModelBuilder"/>; any acquisition over the same features can add it (the single- and
/// the multi-objective samplers).
/// </summary>
internal sealed class FeasibilityModel
{
    private readonly List<Component> _components;

    internal FeasibilityModel(List<Component> components)
    {
        _components = components;
    }

    /// <summary>How many outcomes are modelled.</summary>
    public int Count => _components.Count;

    /// <summary>How many observations each outcome's model holds, in the order of <see cref="Names"/> (for tests).</summary>
    internal IEnumerable<int> ObservationCounts => _components.Select(c => c.Model.ObservationCount);

    /// <summary>The modelled outcomes' names (a constraint metric's, or <see cref="FeasibilityModelBuilder.FailureComponent"/>).</summary>
    public IEnumerable<string> Names => _components.Select(c => c.Name);

    /// <summary>
    /// log P(feasible) at m points given feature-major (<paramref name="pointsT"/>[f * m + j] is feature f of point j),
    /// into <paramref name="destination"/>.
    /// </summary>
    public void LogProbabilities(ReadOnlySpan<double> pointsT, int m, Span<double> destination)
    {
        destination[..m].Clear();
        var mean = new double[m];
        var variance = new double[m];
        foreach (var component in _components)
        {
            component.Model.Predict(pointsT, m, mean, variance);
            for (var j = 0; j < m; j++)
            {
                destination[j] += NormalMath.LogCdf((component.Threshold - mean[j]) / Math.Sqrt(variance[j]));
            }
        }
    }

    /// <summary>log P(feasible) at <paramref name="x"/>, and its gradient with respect to the features into <paramref name="gradient"/>.</summary>
    public double LogProbability(ReadOnlySpan<double> x, Span<double> gradient)
    {
        gradient.Clear();
        var dMean = new double[x.Length];
        var dVariance = new double[x.Length];
        var total = 0.0;
        foreach (var component in _components)
        {
            var (mean, variance) = component.Model.PredictWithGradient(x, dMean, dVariance);
            var sd = Math.Sqrt(variance);
            var z = (component.Threshold - mean) / sd;
            total += NormalMath.LogCdf(z);
            // d log Φ(z) = φ(z)/Φ(z) dz, with dz = −dμ/σ − z dσ/σ and dσ = dσ²/(2σ).
            var ratio = Math.Exp(NormalMath.LogPdf(z) - NormalMath.LogCdf(z));
            for (var f = 0; f < x.Length; f++)
            {
                gradient[f] += ratio * ((-dMean[f] / sd) - (z * dVariance[f] / (2 * variance)));
            }
        }

        return total;
    }

    /// <summary>log P(feasible) at one point.</summary>
    public double LogProbability(ReadOnlySpan<double> x) => LogProbability(x, new double[x.Length]);

    /// <summary>One modelled outcome: its GP over standardized values, and the threshold in the same units.</summary>
    internal sealed record Component(string Name, GaussianProcess Model, double Threshold);
}

/// <summary>
/// Fits the components of a <see cref="FeasibilityModel"/>. Each outcome's values are standardized (the prior mean is
/// their mean); its hyperparameters are fitted by <see cref="HyperparameterFitter"/> from the prior mode on the data of
/// the objective's refit schedule (<see cref="GpSampler.FitPoint"/>: the first s of them at each schedule point s, at
/// most the latest <c>maxFitPoints</c> of those), cached by the fitted data's identities, so between schedule points
/// new data only update the model, which depends on the observations alone: a resumed study rebuilds it.
/// </summary>
internal sealed class FeasibilityModelBuilder(ILinearAlgebra linearAlgebra, int maxFitPoints)
{
    /// <summary>The name of the failed/succeeded component.</summary>
    public const string FailureComponent = "(failure)";

    /// <summary>The largest log noise variance (standardized units) of a component whose values are exact: the prior's mode.</summary>
    public const double MaxExactLogNoise = -9;

    private readonly Dictionary<(string Name, int Count, long Identity), GpHyperparameters> _fits = [];
    private readonly List<FeasibilityModel.Component> _components = [];

    /// <summary>True when <paramref name="trial"/> reported every constraint metric within its threshold (as the study's best counts it).</summary>
    internal static bool IsFeasible(StudyDefinition definition, Trial trial)
    {
        foreach (var metric in definition.Metrics.Where(m => m.Strategy == MetricStrategy.Constraint))
        {
            if (trial.Values is null || !trial.Values.TryGetValue(metric.Name, out var value) || metric.IsBetter(metric.Threshold!.Value, value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The model of feasibility of <paramref name="view"/> (docs/gp-constraints.md): a GP per constraint metric over the
    /// observations that reported it, and, once some trial has failed, a GP over the failed (+1) and succeeded (−1)
    /// labels of every finished trial, feasible below <paramref name="failureThreshold"/>, so the failing region is
    /// learned rather than only its points avoided. Null when there is nothing to model.
    /// </summary>
    /// <param name="view">The study.</param>
    /// <param name="observed">The completed trials the objective's model holds, in its order.</param>
    /// <param name="features">Their features, in the same order.</param>
    /// <param name="encode">The features of a failed trial's assignment.</param>
    /// <param name="failureThreshold">The failure label below which a point counts as feasible.</param>
    /// <param name="initial">The first point of the refit schedule (the study's initial design).</param>
    /// <param name="cancellation">Ends a long fit.</param>
    /// <param name="local">
    /// Past the local model's threshold, the observations to hold and where the objective's local model is centred: each
    /// component then holds those observations and the failures nearest the centre (<see cref="LocalFeasibilityData"/>),
    /// under hyperparameters and a standardization of all its data; null: every observation and failure.
    /// </param>
    public FeasibilityModel? Build(StudySnapshot view, IReadOnlyList<Trial> observed, IReadOnlyList<double[]> features, Func<Assignment, double[]> encode,
        double failureThreshold, int initial, CancellationToken cancellation, LocalFeasibilityData? local = null)
    {
        var held = local?.Observations.ToHashSet();
        foreach (var metric in view.Definition.Metrics.Where(m => m.Strategy == MetricStrategy.Constraint))
        {
            // Oriented so that feasible is ≤ the threshold: a maximized constraint's values are negated.
            var sign = metric.Objective == MetricObjective.Maximize ? -1 : 1;
            var indices = Enumerable.Range(0, observed.Count)
                .Where(i => observed[i].Values is { } v && v.TryGetValue(metric.Name, out var value) && double.IsFinite(value)).ToList();
            Add(metric.Name, [.. indices.Select(i => features[i])], [.. indices.Select(i => sign * observed[i].Values![metric.Name])],
                [.. indices.Select(i => observed[i].Id)], sign * metric.Threshold!.Value, view.Seed, cancellation,
                fitIndices: [.. Enumerable.Range(0, GpSampler.FitPoint(indices.Count, initial))],
                modelIndices: held is null ? null : [.. Enumerable.Range(0, indices.Count).Where(k => held.Contains(indices[k]))]);
        }

        var failed = view.Failed;
        if (failed.Count > 0)
        {
            var failedFeatures = failed.Select(t => encode(t.Assignment)).ToList();
            var finished = observed.Select((t, i) => (t.Id, Features: features[i], Label: -1.0, Held: held is null || held.Contains(i)))
                .Concat(failed.Select((t, j) => (t.Id, Features: failedFeatures[j], Label: 1.0, Held: true)))
                .OrderBy(t => t.Id).ToList();
            if (local is not null)
            {
                var nearFailures = local.NearestFailures(failedFeatures).Select(j => failed[j].Id).ToHashSet();
                finished = [.. finished.Select(t => t with { Held = t.Label < 0 ? t.Held : nearFailures.Contains(t.Id) })];
            }

            // The successes and the failures each on a schedule of their own: a schedule point over both, fixed before
            // the first failure, fitted a label model on successes alone, whose long length scales smoothed the failure away.
            var fitted = observed.Take(GpSampler.FitPoint(observed.Count, initial)).Concat(failed.Take(GpSampler.FitPoint(failed.Count, 1)))
                .Select(t => t.Id).ToHashSet();
            Add(FailureComponent, [.. finished.Select(t => t.Features)], [.. finished.Select(t => t.Label)],
                [.. finished.Select(t => t.Id)], failureThreshold, view.Seed, cancellation, exact: true,
                fitIndices: [.. Enumerable.Range(0, finished.Count).Where(i => fitted.Contains(finished[i].Id))],
                modelIndices: local is null ? null : [.. Enumerable.Range(0, finished.Count).Where(i => finished[i].Held)]);
        }

        return Build();
    }

    /// <summary>Adds an outcome, feasible where it is at most <paramref name="threshold"/>.</summary>
    /// <param name="name">The outcome's name (a key of the fit cache).</param>
    /// <param name="features">Where it was observed, in a fixed order (one that only grows at its end refits least).</param>
    /// <param name="values">What was observed there.</param>
    /// <param name="ids">The observations' trial ids, which name the fitted data in the cache.</param>
    /// <param name="threshold">The largest feasible value.</param>
    /// <param name="seed">The study's seed.</param>
    /// <param name="cancellation">Ends a long fit.</param>
    /// <param name="exact">
    /// Whether the values are exact (the failed/succeeded labels): the noise is then fitted below
    /// <see cref="MaxExactLogNoise"/>, since a lone failure among successes is otherwise best explained as noise (or,
    /// with the noise merely replaced after the fit, by length scales too long to fit it), which leaves the model's
    /// mean at the failed point near the successes' and its probability of feasibility near theirs.
    /// </param>
    /// <param name="fitIndices">
    /// The data the hyperparameters are fitted on, in order (all of it when null): fits are cached by these data's
    /// ids, so indices that stay the same while data are added reuse the fit.
    /// </param>
    /// <param name="modelIndices">
    /// The data the model holds, ascending (all of it when null): a local model's, whose values are still standardized over all the data.
    /// </param>
    public void Add(string name, IReadOnlyList<double[]> features, IReadOnlyList<double> values, IReadOnlyList<long> ids, double threshold, long seed, CancellationToken cancellation,
        bool exact = false, IReadOnlyList<int>? fitIndices = null, IReadOnlyList<int>? modelIndices = null)
    {
        var n = values.Count;
        if (n == 0)
        {
            return;
        }

        var d = features[0].Length;
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / n);
        sd = sd > 0 ? sd : 1;
        var rows = modelIndices ?? [.. Enumerable.Range(0, n)];
        var x = new double[rows.Count * d];
        var y = new double[rows.Count];
        for (var k = 0; k < rows.Count; k++)
        {
            features[rows[k]].CopyTo(x, k * d);
            y[k] = (values[rows[k]] - mean) / sd;
        }

        IReadOnlyList<int> fit = fitIndices ?? [.. Enumerable.Range(0, n)];
        fit = fit.Count > maxFitPoints ? [.. fit.TakeLast(maxFitPoints)] : fit;
        var identity = 17L;
        foreach (var i in fit)
        {
            identity = SplitMix64.Derive(identity, ids[i]);
        }

        if (!_fits.TryGetValue((name, fit.Count, identity), out var hyperparameters))
        {
            var m = fit.Count;
            var fitMean = fit.Average(i => values[i]);
            var fitSd = Math.Sqrt(fit.Sum(i => (values[i] - fitMean) * (values[i] - fitMean)) / m);
            fitSd = fitSd > 0 ? fitSd : 1;
            var fitX = new double[m * d];
            for (var k = 0; k < m; k++)
            {
                features[fit[k]].CopyTo(fitX, k * d);
            }

            var fitY = fit.Select(i => (values[i] - fitMean) / fitSd).ToArray();
            hyperparameters = HyperparameterFitter.Fit(fitX, fitY, d, 0, SplitMix64.Derive(seed, m), out _, linearAlgebra, cancellationToken: cancellation, maxLogNoise: exact ? MaxExactLogNoise : null);
            _fits[(name, m, identity)] = hyperparameters;
        }

        var gp = new GaussianProcess(hyperparameters, linearAlgebra);
        gp.SetData(x, y);
        _components.Add(new FeasibilityModel.Component(name, gp, (threshold - mean) / sd));
    }

    /// <summary>The model of the outcomes added since the last call (null when none was), and a fresh start for the next.</summary>
    public FeasibilityModel? Build()
    {
        if (_components.Count == 0)
        {
            return null;
        }

        var model = new FeasibilityModel([.. _components]);
        _components.Clear();
        return model;
    }
}

/// <summary>
/// What the feasibility model holds past the local model's threshold (docs/gp-scale.md): observations chosen as the
/// objective's local model's are (a smaller set, <see cref="GpSampler.LocalFeasibilityShare"/>), and of the failed
/// trials the <see cref="FailureLimit"/> nearest <see cref="Centre"/> in the
/// length scales of <see cref="Scales"/> — every failure when there are no more — since the failures near where the
/// search goes decide its chance of failing there.
/// </summary>
/// <param name="Observations">Indices of the observations held (into the objective's observations), ascending.</param>
/// <param name="Centre">The search's best point, the local model's centre.</param>
/// <param name="Scales">The hyperparameters whose length scales measure the distance to the centre.</param>
/// <param name="FailureLimit">At most this many failures are held.</param>
internal sealed record LocalFeasibilityData(IReadOnlyList<int> Observations, double[] Centre, GpHyperparameters Scales, int FailureLimit)
{
    /// <summary>The indices of the failures held, of <paramref name="failures"/>' features: all, or the nearest <see cref="FailureLimit"/>.</summary>
    public IEnumerable<int> NearestFailures(IReadOnlyList<double[]> failures) =>
        failures.Count <= FailureLimit ? Enumerable.Range(0, failures.Count) : LocalModelData.ByDistance(failures, Centre, Scales).Take(FailureLimit);
}
