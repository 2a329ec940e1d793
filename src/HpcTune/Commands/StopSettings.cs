namespace HpcTune.Cli.Commands;

/// <summary>
/// How a master deals with workers that fall silent and with walltime signals.
/// </summary>
/// <param name="Lease">How long a worker may go unheard before its trial goes to another worker.</param>
/// <param name="Grace">How long results in flight are waited for after SIGTERM/SIGUSR1.</param>
internal sealed record StopSettings(TimeSpan Lease, TimeSpan Grace);
