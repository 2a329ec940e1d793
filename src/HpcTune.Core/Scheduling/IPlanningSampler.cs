using HpcTune.Sampling;
using HpcTune.Space;
using HpcTune.Trials;

namespace HpcTune.Scheduling;

/// <summary>
/// A sampler that plans each new trial whole, its place in a population included, and may have nothing to hand out
/// for a while (population based training waits for a generation's results before the next one). The tuner asks it
/// under the study's lock, one trial at a time, so it must be quick and pure like any sampler.
/// </summary>
public interface IPlanningSampler : ISampler
{
    /// <summary>The next new trial (number <c>snapshot.TrialsCreated + 1</c>), or null when none can be made now.</summary>
    TrialPlan? Plan(StudySnapshot snapshot);

    /// <summary>True when no new trial will ever be planned: the study answers "finished" once the open ones are in.</summary>
    bool Exhausted(StudySnapshot snapshot);
}

/// <summary>A planned trial: where to evaluate and where it stands in a population.</summary>
/// <param name="Assignment">The parameter values.</param>
/// <param name="Lineage">Member, generation, parent, checkpoint directory and steps, journaled with the trial.</param>
public sealed record TrialPlan(Assignment Assignment, TrialLineage Lineage);
