using System.Diagnostics.CodeAnalysis;
using HpcTune.Study;

namespace HpcTune.Scheduling;

/// <summary>
/// The early stopping rules studies may name, by name. Core has none of its own: <c>median</c> and <c>asha</c> live in
/// HpcTune.Search (<c>SearchAlgorithms.Register()</c>, which the HpcTune command line calls). A definition with
/// <c>early_stopping</c> is checked against <see cref="Default"/> when it is made. Thread-safe.
/// </summary>
public sealed class EarlyStoppingRegistry
{
    private readonly Lock _lock = new();
    private readonly List<IEarlyStoppingProvider> _providers = [];

    internal EarlyStoppingRegistry()
    {
    }

    /// <summary>The process's registry, the one definitions are checked against and tuners create rules from.</summary>
    public static EarlyStoppingRegistry Default { get; } = new();

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

    /// <summary>Adds <paramref name="provider"/>; adding the same instance again does nothing.</summary>
    /// <exception cref="ArgumentException">Another provider has that name.</exception>
    public void Add(IEarlyStoppingProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(provider.Name, nameof(provider));
        lock (_lock)
        {
            var existing = _providers.Find(p => p.Name == provider.Name);
            if (existing is null)
            {
                _providers.Add(provider);
            }
            else if (!ReferenceEquals(existing, provider))
            {
                throw new ArgumentException($"an early stopping rule named '{provider.Name}' is already registered ({existing.GetType().FullName})", nameof(provider));
            }
        }
    }

    /// <summary>The provider registered as <paramref name="name"/>, if any.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IEarlyStoppingProvider? provider)
    {
        lock (_lock)
        {
            provider = _providers.Find(p => p.Name == name);
        }

        return provider is not null;
    }

    /// <summary>Checks <paramref name="definition"/>'s <c>early_stopping</c>, if it has one.</summary>
    /// <exception cref="DefinitionException">An unknown name (at <c>early_stopping.name</c>) or what the provider refuses.</exception>
    public void Validate(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.EarlyStopping is { } spec)
        {
            Get(spec.Name).Validate(definition);
        }
    }

    /// <summary>The rule <paramref name="definition"/> names, or null when it names none.</summary>
    /// <exception cref="DefinitionException">The name is not registered (at <c>early_stopping.name</c>).</exception>
    public IEarlyStopping? Create(StudyDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.EarlyStopping is { } spec ? Get(spec.Name).Create(definition) : null;
    }

    private IEarlyStoppingProvider Get(string name) => TryGet(name, out var provider)
        ? provider
        : throw new DefinitionException("early_stopping.name",
            $"unknown early stopping rule '{name}'; registered: {(Names.Count == 0 ? "none" : string.Join(", ", Names))}; median and asha live in HpcTune.Search: "
            + "call HpcTune.Search.SearchAlgorithms.Register() once at start (the HpcTune command line does), or register your own with "
            + $"{nameof(EarlyStoppingRegistry)}.{nameof(Default)}.{nameof(Add)}(provider)");
}
