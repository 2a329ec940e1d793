namespace HpcTune.Trials;

/// <summary>
/// Where a trial stands in a population (population based training, CONTRACTS.md §6). Every field is optional:
/// an algorithm records what it knows.
/// </summary>
/// <param name="Member">The population member the trial trains.</param>
/// <param name="Generation">The generation, 0 first.</param>
/// <param name="ParentTrialId">The trial whose checkpoint it continues from (its own member's or, after exploit, a better one's).</param>
/// <param name="CheckpointDirectory">Where the trial writes its checkpoint: relative to the study's checkpoint folder (e.g. <c>checkpoints/trial-7</c>), or absolute.</param>
/// <param name="StartStep">The first step the trial trains (a command's <c>{start_step}</c>): its parent's last, 0 in generation 0.</param>
/// <param name="EndStep">The step it trains to (<c>{end_step}</c>).</param>
public sealed record TrialLineage(int? Member = null, int? Generation = null, long? ParentTrialId = null, string? CheckpointDirectory = null, long? StartStep = null, long? EndStep = null);
