using HpcTune.Study;

namespace HpcTune.Sampling;

/// <summary>
/// One algorithm a study may name in <c>"algorithm": {"name": ...}</c>: it checks the study for what it needs (its own
/// options, the kind of study it can handle) and creates its sampler. Register one with
/// <see cref="AlgorithmRegistry.Add"/>; implementations must be thread-safe (they are shared by every study).
/// </summary>
public interface IAlgorithmProvider
{
    /// <summary>The name studies use, e.g. <c>regevo</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Refuses a study this algorithm cannot run, with a <see cref="DefinitionException"/> whose path names the
    /// offending value (<c>algorithm.&lt;option&gt;</c> for a bad or unknown option; read them with
    /// <see cref="AlgorithmOptionReader"/>). Called when a definition is made, so a study fails before it starts.
    /// </summary>
    void Validate(StudyDefinition definition);

    /// <summary>A new sampler for <paramref name="definition"/> (one per study; it may keep state between suggestions).</summary>
    ISampler Create(StudyDefinition definition);
}
