using System.CommandLine;

namespace HpcTune.Cli.Commands;

/// <summary>The <c>--checkpoint</c> option of the read-side verbs.</summary>
internal static class CheckpointOption
{
    public static Option<DirectoryInfo> Create() => new("--checkpoint") { Description = "Checkpoint directory of the study.", Required = true };
}
