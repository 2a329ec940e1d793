using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Trials;

namespace HpcTune.Search.Evolution;

/// <summary>
/// Regularized (aging) evolution (Real et al., "Regularized Evolution for Image Classifier Architecture Search",
/// AAAI 2019), asynchronous: every suggestion is a child made at once, so any number of workers stay busy.
/// <list type="number">
/// <item>Until the completed members and the open suggestions number <see cref="EvolutionOptions.PopulationSize"/>
/// (P), suggestions are scrambled Sobol points (random ones past Sobol's dimensions): the initial population.</item>
/// <item>Then the population is the P most recently completed trials with a finite objective value: each new
/// completion makes the oldest member die, whatever its value (aging). <see cref="EvolutionOptions.SampleSize"/> (S)
/// members are drawn uniformly without replacement; the best (<see cref="Fitness"/>: feasible first) is the parent, and
/// the child is the parent with one active parameter mutated (<see cref="Mutator"/>).</item>
/// </list>
/// A child equal to a trial that exists (completed, open, failed or pruned) is mutated again, up to
/// <see cref="MaxTries"/> times, then replaced by an untaken Sobol point; failed and pruned trials are no members.
/// <para>
/// Pure: the tournament and the mutation of trial n draw from <c>Seeds.Derive(seed ⊕ salt, n)</c>, so the same
/// snapshot gives the same suggestions, and a resumed study suggests what the first run would have.
/// </para>
/// </summary>
internal sealed class EvolutionSampler : ISampler
{
    /// <summary>Tries at a child no trial has before a quasi-random point is taken instead.</summary>
    public const int MaxTries = 32;

    /// <summary>Separates evolution's random streams from random search's, which use the same study seed.</summary>
    private const long StreamSalt = 0x4556_4F4C;

    private readonly EvolutionOptions _options;
    private readonly Mutator _mutator;
    private readonly SobolSampler? _sobol;
    private readonly RandomSampler _random = new();

    public EvolutionSampler(SearchSpace space, EvolutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(space);
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _mutator = new Mutator(space, options.MutationScale);
        _sobol = space.Dimension <= SobolSequence.MaxDimension ? new SobolSampler() : null;
    }

    /// <inheritdoc/>
    public string Name => EvolutionAlgorithmProvider.AlgorithmName;

    /// <inheritdoc/>
    public IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.SuggestEach(count, SuggestOne);
    }

    /// <summary>
    /// The population of <paramref name="snapshot"/>: its last P completed trials with a fitness, oldest first, in
    /// completion order.
    /// </summary>
    internal List<(Trial Trial, Fitness Fitness)> Population(StudySnapshot snapshot)
    {
        var members = new List<(Trial, Fitness)>(_options.PopulationSize);
        for (var i = snapshot.Completed.Count - 1; i >= 0 && members.Count < _options.PopulationSize; i--)
        {
            if (Fitness.Of(snapshot.Definition, snapshot.Completed[i]) is { } fitness)
            {
                members.Add((snapshot.Completed[i], fitness));
            }
        }

        members.Reverse();
        return members;
    }

    /// <summary>The tournament's winner among <paramref name="population"/>: the best of S members drawn from <paramref name="random"/>, ties to the lower trial id.</summary>
    internal Trial Parent(List<(Trial Trial, Fitness Fitness)> population, ref SplitMix64 random)
    {
        // A partial Fisher-Yates shuffle draws S distinct members.
        var order = Enumerable.Range(0, population.Count).ToArray();
        var sample = Math.Min(_options.SampleSize, population.Count);
        var best = -1;
        for (var k = 0; k < sample; k++)
        {
            var j = k + Mutator.Index(ref random, order.Length - k);
            (order[k], order[j]) = (order[j], order[k]);
            var candidate = order[k];
            if (best < 0 || population[candidate].Fitness < population[best].Fitness
                || (population[candidate].Fitness.CompareTo(population[best].Fitness) == 0 && population[candidate].Trial.Id < population[best].Trial.Id))
            {
                best = candidate;
            }
        }

        return population[best].Trial;
    }

    private Assignment SuggestOne(StudySnapshot snapshot)
    {
        var population = Population(snapshot);
        var taken = new HashSet<Assignment>(snapshot.Trials.Select(t => t.Assignment));
        if (population.Count == 0 || population.Count + snapshot.Pending.Count < _options.PopulationSize)
        {
            return Initial(snapshot, taken);
        }

        var random = new SplitMix64(Seeds.Derive(Seeds.Derive(snapshot.Seed, StreamSalt), snapshot.TrialsCreated + 1));
        var parent = Parent(population, ref random).Assignment;
        for (var attempt = 0; attempt < MaxTries; attempt++)
        {
            var child = _mutator.Mutate(parent, ref random);
            if (!taken.Contains(child))
            {
                return child;
            }
        }

        return Initial(snapshot, taken);
    }

    /// <summary>A point of the initial population: the next Sobol point no trial has (a random one past Sobol's dimensions).</summary>
    private Assignment Initial(StudySnapshot snapshot, HashSet<Assignment> taken) =>
        _sobol?.SuggestUntaken(snapshot, taken) ?? _random.Suggest(snapshot, 1, CancellationToken.None)[0];
}
