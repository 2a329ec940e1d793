using System.Diagnostics.CodeAnalysis;
using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>
/// The algorithms studies may name, by name: random and Sobol are always there; the GP (HpcTune.Gp,
/// <c>GpSampler.Register()</c>) and any sampler of a program's own are added once at start, before studies are read.
/// A <see cref="StudyDefinition"/> is checked against <see cref="Default"/> when it is made, so a study naming an
/// algorithm nobody registered fails then, at <c>algorithm.name</c>. A study read back from a journal is not checked
/// (status and export need no sampler); creating its sampler is. Thread-safe.
/// </summary>
/// <example>
/// <code>
/// AlgorithmRegistry.Default.Add(new RegularizedEvolutionProvider());
/// var study = StudyDefinitionJson.Load("study.json"); // "algorithm": {"name": "regevo", "population": 20}
/// </code>
/// </example>
public sealed class AlgorithmRegistry
{
    private readonly Lock _lock = new();
    private readonly List<IAlgorithmProvider> _providers = [];

    internal AlgorithmRegistry()
    {
        _providers.Add(new RandomAlgorithmProvider());
        _providers.Add(new SobolAlgorithmProvider());
    }

    /// <summary>The process's registry, the one definitions are checked against and tuners create samplers from.</summary>
    public static AlgorithmRegistry Default { get; } = new();

    /// <summary>The registered names, in the order they were added.</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_lock)
            {
                return [.. _providers.Select(p => p.Name)];
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="provider"/> under its name. Adding the same instance again does nothing, so a
    /// <c>Register()</c> called from several places is harmless.
    /// </summary>
    /// <exception cref="ArgumentException">Another provider has that name.</exception>
    public void Add(IAlgorithmProvider provider)
    {
        if (!TryAdd(provider) && !ReferenceEquals(Find(provider.Name), provider))
        {
            throw new ArgumentException($"an algorithm named '{provider.Name}' is already registered ({Find(provider.Name)!.GetType().FullName})", nameof(provider));
        }
    }

    /// <summary>Adds <paramref name="provider"/> unless its name is taken; returns whether it was added.</summary>
    public bool TryAdd(IAlgorithmProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.Name, nameof(provider));
        lock (_lock)
        {
            if (_providers.Any(p => p.Name == provider.Name))
            {
                return false;
            }

            _providers.Add(provider);
            return true;
        }
    }

    /// <summary>The provider registered as <paramref name="name"/>, if any.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IAlgorithmProvider? provider)
    {
        provider = Find(name);
        return provider is not null;
    }

    /// <summary>Checks <paramref name="definition"/>'s algorithm: a registered name, and what its provider requires.</summary>
    /// <exception cref="DefinitionException">An unknown name (at <c>algorithm.name</c>) or what the provider refuses.</exception>
    public void Validate(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        Get(definition.Algorithm.Name).Validate(definition);
    }

    /// <summary>
    /// A new sampler for <paramref name="definition"/> from the provider of its algorithm's name. Options are not
    /// checked again (that happened when the definition was made, or, for a study read from a journal, when it was
    /// first run), but the name must be registered.
    /// </summary>
    /// <exception cref="DefinitionException">The name is not registered (at <c>algorithm.name</c>), or the provider cannot create it.</exception>
    public ISampler CreateSampler(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return Get(definition.Algorithm.Name).Create(definition);
    }

    private IAlgorithmProvider Get(string name) => Find(name) ?? throw new DefinitionException("algorithm.name", UnknownMessage(name));

    private IAlgorithmProvider? Find(string? name)
    {
        lock (_lock)
        {
            return _providers.Find(p => p.Name == name);
        }
    }

    private string UnknownMessage(string name)
    {
        var message = $"unknown algorithm '{name}'; registered: {string.Join(", ", Names)}; a program registers its own with "
            + $"{nameof(AlgorithmRegistry)}.{nameof(Default)}.{nameof(Add)}(provider) before it reads or makes the study";
        return name == AlgorithmSpec.DefaultName
            ? message + $" ('{name}', the default, lives in HpcTune.Gp: call HpcTune.Gp.Sampling.GpSampler.Register() once at start; the HpcTune command line does)"
            : message;
    }
}
