namespace HpcTune.Trials;

/// <summary>
/// Where a trial of a population writes its checkpoint and where the trial it continues from wrote its own, as
/// absolute paths on the master's file system (a shared one, on a cluster).
/// </summary>
/// <param name="Directory">The trial's checkpoint directory (a command's <c>{checkpoint_dir}</c>).</param>
/// <param name="ParentDirectory">Its parent's (<c>{parent_checkpoint_dir}</c>); null in generation 0.</param>
public sealed record TrialCheckpointPaths(string Directory, string? ParentDirectory);
