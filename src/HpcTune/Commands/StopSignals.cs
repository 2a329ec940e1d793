using System.Runtime.InteropServices;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>
/// SIGINT, SIGTERM and SIGUSR1 request a <see cref="GracefulStop"/> instead of killing the process: the first one
/// drains (results in flight are still recorded for up to the grace period), a second one abandons at once.
/// </summary>
internal static class StopSignals
{
    /// <summary>SIGUSR1, which SLURM's <c>--signal=B:USR1@T</c> sends before the time limit (Linux numbering).</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    public static IDisposable Register(GracefulStop stop, ILogger logger) =>
        new Registrations([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, SigUsr1 }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true; // no default termination: stop cleanly and journal what is running
            logger.Stopping(context.Signal == SigUsr1 ? "SIGUSR1" : context.Signal.ToString(), stop.Draining.IsCancellationRequested ? "now" : $"after at most {stop.Grace.TotalSeconds:G4} s for results in flight");
            stop.Request();
        }))]);

    /// <summary>
    /// Worker ranks: the master decides when they stop (mpiexec forwards signals to every rank), so a signal must not
    /// end a rank in the middle of a trial the master is still waiting for.
    /// </summary>
    public static IDisposable Ignore() =>
        new Registrations([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, SigUsr1 }.Select(signal => PosixSignalRegistration.Create(signal, context => context.Cancel = true))]);

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
