using System.Runtime.InteropServices;
using HpcTune.Tuning;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>
/// SIGINT, SIGTERM, SIGHUP and SIGUSR1 request a <see cref="GracefulStop"/> instead of killing the process: the first
/// one drains (results in flight are still recorded for up to the grace period), a second one abandons at once.
/// </summary>
internal static class StopSignals
{
    /// <summary>SIGUSR1, which SLURM's <c>--signal=B:USR1@T</c> sends before the time limit (Linux numbering).</summary>
    private const PosixSignal SigUsr1 = (PosixSignal)10;

    private static readonly PosixSignal[] Handled = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, SigUsr1];

    /// <summary>
    /// Handles the stop signals for a master. <paramref name="killedAfter"/>: under <c>mpiexec</c>, which answers
    /// SIGTERM, SIGINT and SIGHUP by sending every rank SIGTERM and then SIGKILL (<see cref="MpiKillWindow"/>), the
    /// time a master has after a SIGTERM: the grace period is cut to it, so the trials still running are journaled as
    /// interrupted before the kill. SIGUSR1 (which mpiexec forwards as it is), SIGINT and SIGHUP (which reach a rank
    /// only when sent to it directly) get the whole grace period.
    /// </summary>
    public static IDisposable Register(GracefulStop stop, ILogger logger, TimeSpan? killedAfter = null)
    {
        Timer? cutShort = null;
        var registrations = Handled.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true; // no default termination: stop cleanly and journal what is running
            var name = context.Signal == SigUsr1 ? "SIGUSR1" : context.Signal.ToString();
            if (stop.Draining.IsCancellationRequested)
            {
                logger.Stopping(name, "now");
            }
            else if (killedAfter is { } window && context.Signal == PosixSignal.SIGTERM && window < stop.Grace)
            {
                logger.Stopping(name, $"after at most {window.TotalSeconds:G4} s for results in flight (not --grace {stop.Grace.TotalSeconds:G4} s: mpiexec kills every rank soon after it gets {name}; see docs/faults.md)");
                cutShort = new Timer(_ => stop.Request(), null, window, Timeout.InfiniteTimeSpan); // a second request abandons
            }
            else
            {
                logger.Stopping(name, $"after at most {stop.Grace.TotalSeconds:G4} s for results in flight");
            }

            stop.Request();
        })).ToList();
        return new Registrations(registrations, () => cutShort?.Dispose());
    }

    /// <summary>
    /// Worker ranks: the master decides when they stop (mpiexec forwards signals to every rank), so a signal must not
    /// end a rank in the middle of a trial the master is still waiting for.
    /// </summary>
    public static IDisposable Ignore() =>
        new Registrations([.. Handled.Select(signal => PosixSignalRegistration.Create(signal, context => context.Cancel = true))], null);

    /// <summary>
    /// OpenMPI's mpiexec (4.x) answers SIGTERM, SIGINT or SIGHUP by sending every rank SIGCONT at once, SIGTERM
    /// <c>odls_base_sigkill_timeout</c> seconds later (default 1) and SIGKILL as long again after that; ranks see the
    /// MCA parameter as <c>OMPI_MCA_odls_base_sigkill_timeout</c> whether it was given by environment or by
    /// <c>--mca</c>. Returns how long a master may drain after its SIGTERM: that time less a margin (half of it, at
    /// most 5 s) for stopping the workers and journaling the rest.
    /// </summary>
    public static TimeSpan MpiKillWindow()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("OMPI_MCA_odls_base_sigkill_timeout"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var given) && given > 0 ? given : 1;
        var timeout = TimeSpan.FromSeconds(seconds);
        return timeout - TimeSpan.FromTicks(Math.Min(timeout.Ticks / 2, TimeSpan.FromSeconds(5).Ticks));
    }

    private sealed class Registrations(IReadOnlyList<PosixSignalRegistration> registrations, Action? alsoDispose) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }

            alsoDispose?.Invoke();
        }
    }
}
