namespace HpcTune.Cli.Commands;

/// <summary>Where a study's trial folders are made (<paramref name="Root"/>), and the owner written in each (the checkpoint).</summary>
/// <param name="Root">The folder that holds trial-N folders.</param>
/// <param name="Owner">The owner marker's text: the checkpoint's path with links resolved.</param>
internal sealed record TrialPlace(string Root, string Owner);
