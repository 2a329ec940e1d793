using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HpcTune.Bench.Simulation;

/// <summary>What the master does in one step of the simulation.</summary>
internal enum MasterOperation
{
    /// <summary>Recording a worker's result (<see cref="Tuning.Tuner.Report"/>).</summary>
    Report,

    /// <summary>Handing out work to a group of waiting workers (<see cref="Tuning.Tuner.Suggest(IReadOnlyList{string})"/>).</summary>
    Suggest,

    /// <summary>Committing the journal before answers go out.</summary>
    Commit,
}

/// <summary>Runs one master operation for real and says how many seconds of the virtual clock it costs.</summary>
internal abstract partial class MasterCostMeter
{
    /// <summary>Runs <paramref name="operation"/> and returns the seconds it is charged.</summary>
    public abstract double Charge(MasterOperation kind, Action operation);

    /// <summary>
    /// The process's CPU time (user + system, every thread: BLAS and the GC included) that the operation used: what a
    /// master with a core of its own would spend, unlike wall time on a machine shared with other work.
    /// </summary>
    public static MasterCostMeter ProcessCpu { get; } = new ProcessCpuMeter();

    /// <summary>Wall time, for a machine with nothing else running.</summary>
    public static MasterCostMeter Wall { get; } = new WallMeter();

    /// <summary>A fixed charge per kind of operation (for tests: zero is a master that costs nothing).</summary>
    public static MasterCostMeter Fixed(Func<MasterOperation, double> seconds) => new FixedMeter(seconds);

    /// <summary>The meter a <c>--cost</c> option names.</summary>
    public static MasterCostMeter Named(string name) => name switch
    {
        "cpu" => ProcessCpu,
        "wall" => Wall,
        "zero" => Fixed(_ => 0),
        _ => throw new ArgumentException($"--cost: expected cpu, wall or zero, got '{name}'"),
    };

    private sealed class FixedMeter(Func<MasterOperation, double> seconds) : MasterCostMeter
    {
        public override double Charge(MasterOperation kind, Action operation)
        {
            operation();
            return seconds(kind);
        }
    }

    private sealed class WallMeter : MasterCostMeter
    {
        public override double Charge(MasterOperation kind, Action operation)
        {
            var started = Stopwatch.GetTimestamp();
            operation();
            return Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }

    private sealed partial class ProcessCpuMeter : MasterCostMeter
    {
        private const int ProcessCpuClock = 2; // CLOCK_PROCESS_CPUTIME_ID: nanosecond resolution, unlike /proc's 10 ms ticks

        public override double Charge(MasterOperation kind, Action operation)
        {
            var before = Now();
            operation();
            return Now() - before;
        }

        private static double Now()
        {
            if (ClockGetTime(ProcessCpuClock, out var time) != 0)
            {
                throw new InvalidOperationException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
            }

            return time.Seconds + (time.Nanoseconds * 1e-9);
        }

        [LibraryImport("libc", EntryPoint = "clock_gettime")]
        private static partial int ClockGetTime(int clock, out TimeSpec time);

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
    }
}
