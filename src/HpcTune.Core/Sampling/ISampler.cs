using HpcTune.Space;

namespace HpcTune.Sampling;

/// <summary>
/// Proposes assignments for new trials from an immutable <see cref="StudySnapshot"/>. Samplers are pure: no I/O,
/// clocks, locks or threads of their own, and the same snapshot gives the same suggestions, which is what lets a
/// resumed study continue exactly. A sampler may keep state between calls for speed (a model's factor) only when it
/// can rebuild it from a snapshot alone; it is called by one thread at a time.
/// </summary>
public interface ISampler
{
    /// <summary>The algorithm name as it appears in study JSON.</summary>
    string Name { get; }

    /// <summary>
    /// Assignments for the next <paramref name="count"/> new trials, numbered <c>snapshot.TrialsCreated + 1</c> on:
    /// each is made as if the ones before it were pending trials (<see cref="StudySnapshot.WithPending"/>), so a
    /// model shares its work between them. The first is what a call with a count of one gives.
    /// </summary>
    /// <param name="snapshot">The study now.</param>
    /// <param name="count">How many (at least 1).</param>
    /// <param name="cancellation">Cancelled when the suggestions are no longer wanted (the run is stopping): a sampler whose
    /// work takes long checks it and throws <see cref="OperationCanceledException"/>.</param>
    IReadOnlyList<Assignment> Suggest(StudySnapshot snapshot, int count, CancellationToken cancellation);
}
