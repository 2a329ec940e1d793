namespace HpcTune.Cli;

/// <summary>Process exit codes (CONTRACTS.md §3).</summary>
internal static class ExitCodes
{
    public const int Done = 0;
    public const int Broken = 1;
    public const int UsageError = 2;
    public const int Interrupted = 3;
    public const int Conflict = 4;
}
