namespace HpcTune.Cli.Commands;

/// <summary>
/// Splits off <c>--command ARGV...</c> before System.CommandLine parses the rest: every argument after
/// <c>--command</c> belongs to the objective's argv verbatim, even ones that look like options (CONTRACTS.md §3).
/// </summary>
internal static class CommandLineSplit
{
    public const string CommandToken = "--command";

    public static (string[] HpcTuneArguments, IReadOnlyList<string>? CommandArgv) Split(string[] args)
    {
        var index = Array.IndexOf(args, CommandToken);
        return index < 0 ? (args, null) : (args[..index], args[(index + 1)..]);
    }
}
