using HpcTune.Study;

namespace HpcTune.Scheduling;

/// <summary>
/// One early stopping rule a study may name in <c>"early_stopping": {"name": ...}</c>: it checks the study's options
/// and creates the rule. Register one with <see cref="EarlyStoppingRegistry.Add"/>; implementations must be
/// thread-safe (they are shared by every study).
/// </summary>
public interface IEarlyStoppingProvider
{
    /// <summary>The name studies use, e.g. <c>asha</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Refuses a study this rule cannot serve with a <see cref="DefinitionException"/> whose path names the offending
    /// value (<c>early_stopping.&lt;option&gt;</c>; read options with <see cref="Sampling.AlgorithmOptionReader"/>).
    /// </summary>
    void Validate(StudyDefinition definition);

    /// <summary>A new rule for <paramref name="definition"/> (one per study).</summary>
    IEarlyStopping Create(StudyDefinition definition);
}
