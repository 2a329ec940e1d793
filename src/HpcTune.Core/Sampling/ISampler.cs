using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>
/// Proposes the next assignment from a read-only view of the study. Samplers are pure: no I/O, clocks or
/// threads, and the same view gives the same suggestion, which is what lets a resumed study continue exactly.
/// </summary>
public interface ISampler
{
    /// <summary>The algorithm name as it appears in study JSON.</summary>
    string Name { get; }

    /// <summary>The assignment for the next new trial (number <see cref="StudyView.TrialsCreated"/> + 1).</summary>
    Assignment Suggest(StudyView view);
}
