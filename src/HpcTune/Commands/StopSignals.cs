using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>SIGINT, SIGTERM and SIGUSR1 cancel a token instead of killing the process, so a master can journal what is running.</summary>
internal static class StopSignals
{
    /// <summary>SIGUSR1, which SLURM's <c>--signal=B:USR1@T</c> sends before the time limit (Linux numbering).</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    public static IDisposable Register(CancellationTokenSource stop, ILogger logger) =>
        new Registrations([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, SigUsr1 }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true; // no default termination: stop cleanly and journal what is running
            logger.Stopping(context.Signal);
            stop.Cancel();
        }))]);

    private sealed class Registrations(IReadOnlyList<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
