using HpcTune.Sampling;
using HpcTune.Study;

namespace HpcTune.Gp.Sampling;

/// <summary>
/// <c>gp</c>: Bayesian optimization with a Gaussian process (<see cref="GpSampler"/>). Options besides the seed:
/// <c>initial_points</c> (quasi-random points before the model takes over, a positive integer; default max(5, d + 1))
/// <c>acquisition</c> (<c>log_ei</c>, the default, <c>ucb</c> or <c>qucb</c>) and <c>coordinate_moves</c> (candidates per
/// continuous parameter moving the best point along that parameter alone across its range, 0 to 64; docs/gp-rugged.md) and
/// <c>coordinate_moves_when</c> (<c>stalled</c>, the default: only while the trust region stalls; or <c>always</c>) with one objective;
/// <c>engine</c> (<c>native</c>, <c>managed</c> or <c>torch</c>) and <c>device</c> (<c>cpu</c> or <c>cuda</c>, torch only) with one
/// objective (docs/gp-engines.md); <c>multi_objective</c> (<c>ehvi</c>, the default, or <c>parego</c>) with two to four
/// (<see cref="MultiObjective.MultiObjectiveGpSampler"/>, docs/multi-objective.md). Constraint metrics and failures are
/// modelled as the probability of feasibility (docs/gp-constraints.md); a conditional space's inactive parameters are
/// imputed in its features (docs/gp-conditional.md).
/// </summary>
public sealed class GpAlgorithmProvider : IAlgorithmProvider
{
    private GpAlgorithmProvider()
    {
    }

    /// <summary>The one provider, the one <see cref="GpSampler.Register"/> adds.</summary>
    public static GpAlgorithmProvider Instance { get; } = new();

    /// <summary>The acquisitions the <c>acquisition</c> option accepts.</summary>
    public static IReadOnlyList<string> Acquisitions { get; } = ["log_ei", "ucb", "qucb"];

    /// <summary>
    /// When coordinate moves join the candidates (<c>coordinate_moves_when</c>): <c>paying</c>, the default, while the
    /// trust region stalls and the moves still pay (off once three stalls' worth of them have not improved, back for one
    /// after 1, 2, 4, … stalls); <c>stalled</c> whenever the trust region has gone half the failures that halve it without an
    /// improvement; <c>always</c> at every suggestion.
    /// </summary>
    internal static IReadOnlyList<string> CoordinateMoveSchedules { get; } = ["paying", "stalled", "always"];

    /// <summary>The acquisitions the <c>multi_objective</c> option accepts, for studies with several objectives; the first is the default.</summary>
    public static IReadOnlyList<string> MultiObjectiveAcquisitions { get; } = ["ehvi", "parego"];

    /// <inheritdoc/>
    public string Name => "gp";

    /// <inheritdoc/>
    public void Validate(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var options = ReadOptions(definition);
        CheckObjectiveOptions(definition, options.Acquisition, options.MultiObjective);
        if (definition.IsMultiObjective && (options.CoordinateMoves is not null || options.CoordinateMovesWhen is not null))
        {
            var option = options.CoordinateMoves is not null ? "coordinate_moves" : "coordinate_moves_when";
            throw new DefinitionException($"algorithm.{option}",
                $"the study optimizes {definition.Objectives.Count} objectives; {option} applies to the GP of one objective");
        }

        if (definition.IsMultiObjective && options.Engine is not null)
        {
            throw new DefinitionException("algorithm.engine",
                $"the study optimizes {definition.Objectives.Count} objectives; engine applies to the GP of one objective");
        }

        Engines.GpEngines.Validate(options.Engine, options.Device, "algorithm");
    }

    /// <inheritdoc/>
    public ISampler Create(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.IsMultiObjective
            ? new MultiObjective.MultiObjectiveGpSampler(ReadOptions(definition).MultiObjective == "parego" ? MultiObjective.MultiObjectiveMethod.Parego : MultiObjective.MultiObjectiveMethod.Ehvi)
            : new GpSampler(GpSampler.OptionsFor(definition));
    }

    /// <summary>
    /// A study's <c>algorithm</c> object for the GP: <paramref name="initialPoints"/> and <paramref name="acquisition"/>
    /// are left out when null (their defaults apply).
    /// </summary>
    public static AlgorithmSpec Spec(long? seed = null, int? initialPoints = null, string? acquisition = null)
    {
        var spec = new AlgorithmSpec("gp", seed);
        spec = initialPoints is { } points ? spec.WithOption("initial_points", points) : spec;
        return acquisition is null ? spec : spec.WithOption("acquisition", acquisition);
    }

    /// <summary>
    /// The study's GP options: initial points (null: the default), acquisition (null: log_ei) and the acquisition with
    /// several objectives (null: ehvi).
    /// </summary>
    internal static (int? InitialPoints, string? Acquisition, string? MultiObjective, int? CoordinateMoves, string? CoordinateMovesWhen, string? Engine, string? Device) ReadOptions(StudyDefinition definition)
    {
        var options = new AlgorithmOptionReader(definition.Algorithm);
        var initial = options.Int32("initial_points", min: 1);
        var acquisition = options.String("acquisition", Acquisitions);
        var multiObjective = options.String("multi_objective", MultiObjectiveAcquisitions);
        var moves = options.Int32("coordinate_moves", min: 0);
        if (moves > MaxCoordinateMoves)
        {
            throw new DefinitionException(options.Path("coordinate_moves"), $"expected at most {MaxCoordinateMoves} moves per parameter, got {moves}");
        }

        var when = options.String("coordinate_moves_when", CoordinateMoveSchedules);
        var engine = options.String("engine", Engines.GpEngines.Names);
        var device = options.String("device", Engines.GpEngines.Devices);
        options.RejectUnknown();
        return (initial, acquisition, multiObjective, moves, when, engine, device);
    }

    /// <summary>The largest <c>coordinate_moves</c>: each adds one candidate per continuous parameter to every suggestion's scoring.</summary>
    internal const int MaxCoordinateMoves = 64;

    /// <summary><c>acquisition</c> chooses among one objective's acquisitions, <c>multi_objective</c> among several's.</summary>
    private static void CheckObjectiveOptions(StudyDefinition definition, string? acquisition, string? multiObjective)
    {
        var optimized = definition.Objectives.Select(m => m.Name).ToList();
        if (definition.IsMultiObjective && acquisition is not null and not "log_ei")
        {
            throw new DefinitionException("algorithm.acquisition",
                $"'{acquisition}' is an acquisition for one objective, but the study optimizes {optimized.Count} ({string.Join(", ", optimized)}): choose theirs with multi_objective ({string.Join(", ", MultiObjectiveAcquisitions)})");
        }

        if (!definition.IsMultiObjective && multiObjective is not null)
        {
            throw new DefinitionException("algorithm.multi_objective",
                $"the study optimizes one metric ({optimized[0]}); multi_objective applies to studies with several objectives: use acquisition ({string.Join(", ", Acquisitions)})");
        }
    }
}
