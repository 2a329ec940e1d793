using System.Text;
using HpcTune.Native;

namespace HpcTune.Mpi.Interop;

/// <summary>A received message: who sent it, its tag, and its bytes.</summary>
internal readonly record struct MpiMessage(int Source, int Tag, byte[] Data);

/// <summary>
/// MPI_COMM_WORLD for this process: initialized once (MPI_THREAD_FUNNELED; only the thread that calls these
/// methods may use MPI), byte messages with tags, non-blocking probes. Dispose finalizes MPI.
/// </summary>
internal sealed unsafe class MpiWorld : IDisposable
{
    /// <summary>Largest message accepted; anything longer is refused before it is received into memory.</summary>
    public const int MaxMessageBytes = 1 << 20;

    private MpiWorld(int rank, int size, string processorName)
    {
        Rank = rank;
        Size = size;
        ProcessorName = processorName;
    }

    /// <summary>This process's rank.</summary>
    public int Rank { get; }

    /// <summary>Number of ranks.</summary>
    public int Size { get; }

    /// <summary>The node's name as MPI reports it.</summary>
    public string ProcessorName { get; }

    /// <summary>
    /// The world size the launcher announced (OpenMPI, MPICH/Hydra, PMIx, SLURM's srun), or 1 when this process was
    /// not started by an MPI launcher. Read from the environment, so no MPI library is needed to ask.
    /// </summary>
    public static int LauncherWorldSize() => FirstPositive("OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "MPI_LOCALNRANKS");

    /// <summary>
    /// The ranks the launcher started on this node (OpenMPI, MPICH/Hydra, PMIx), or 1 when it does not say or this
    /// process was not started by an MPI launcher. Read from the environment, before MPI is initialized.
    /// </summary>
    public static int LauncherLocalRanks() => FirstPositive("OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "PMIX_LOCAL_SIZE");

    /// <summary>
    /// True when the launcher started this process as a rank other than 0 of a job of several (OpenMPI, MPICH/Hydra,
    /// PMIx, SLURM's srun): a worker of <c>run</c>, <c>resume</c> and <c>serve</c>. Read from the environment, before MPI
    /// is initialized, so that a worker can skip what only the master needs.
    /// </summary>
    public static bool LauncherWorkerRank() => LauncherWorldSize() > 1 && LauncherRank() > 0;

    /// <summary>This process's rank as the launcher announced it, or 0 when it does not say.</summary>
    private static int LauncherRank()
    {
        foreach (var name in (string[])["OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"])
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out var rank) && rank >= 0)
            {
                return rank;
            }
        }

        return 0;
    }

    private static int FirstPositive(params string[] names)
    {
        foreach (var name in names)
        {
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0)
            {
                return value;
            }
        }

        return 1;
    }

    /// <summary>Initializes MPI; <see cref="InvalidOperationException"/> saying why when the shim cannot be loaded.</summary>
    public static MpiWorld Initialize()
    {
        NativeLibraries.Register(typeof(MpiWorld).Assembly, MpiNative.Library, "libhpctune_mpi.so");
        try
        {
            if (MpiNative.Version() != MpiNative.ExpectedVersion)
            {
                throw new InvalidOperationException($"libhpctune_mpi has interface version {MpiNative.Version()}, this HpcTune needs {MpiNative.ExpectedVersion}; rebuild native/ (bash .ci/build)");
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException($"started under MPI but libhpctune_mpi could not be loaded ({e.Message.Split('\n')[0]}); looked in {string.Join(", ", NativeLibraries.Tried(MpiNative.Library))}. Build it with an MPI installed (apt-get install libopenmpi-dev; bash .ci/build)", e);
        }

        Check(MpiNative.Init(out _), "MPI_Init_thread", -1);
        Check(MpiNative.Rank(out var rank), "MPI_Comm_rank", -1);
        Check(MpiNative.Size(out var size), "MPI_Comm_size", rank);
        var buffer = stackalloc byte[256];
        Check(MpiNative.ProcessorName(buffer, 256, out var length), "MPI_Get_processor_name", rank);
        return new MpiWorld(rank, size, Encoding.UTF8.GetString(buffer, length));
    }

    /// <summary>
    /// Sends <paramref name="data"/> to <paramref name="destination"/> without waiting for it: the shim copies the bytes
    /// and sends them with MPI_Isend, and <see cref="TryReceive"/> moves the sends in flight along. A blocking send of a
    /// message that misses the shared-memory fast path (OpenMPI's vader: about 1 KB, or a full fast box) waits until the
    /// receiver next polls: milliseconds for a sleeping worker, which the master would pay for every rank in turn.
    /// </summary>
    public void Send(ReadOnlySpan<byte> data, int destination, int tag)
    {
        fixed (byte* p = data)
        {
            Check(MpiNative.Send(p, data.Length, destination, tag), "MPI_Send", Rank);
        }
    }

    /// <summary>A waiting message from <paramref name="source"/> (−1: any), received; or null when none is waiting.</summary>
    public MpiMessage? TryReceive(int source = MpiNative.Any)
    {
        Check(MpiNative.Iprobe(source, MpiNative.Any, out var found, out var from, out var tag, out var length), "MPI_Iprobe", Rank);
        if (found == 0)
        {
            return null;
        }

        if (length > MaxMessageBytes)
        {
            // Consume it into a bounded buffer: MPI reports the truncation (ignored), and the caller gets an empty
            // message, which the codec rejects and the roles log with the sender's rank.
            var bounded = new byte[MaxMessageBytes];
            fixed (byte* p = bounded)
            {
                _ = MpiNative.Recv(p, bounded.Length, from, tag, out _);
            }

            return new MpiMessage(from, tag, []);
        }

        var data = new byte[length];
        Receive(data, from, tag);
        return new MpiMessage(from, tag, data);
    }

    /// <summary>Ends the whole job with <paramref name="code"/>.</summary>
    public void Abort(int code) => Check(MpiNative.Abort(code), "MPI_Abort", Rank);

    /// <inheritdoc/>
    public void Dispose() => _ = MpiNative.Finalize(); // waits up to 10 s for sends in flight; an error here has no one left to tell

    private void Receive(byte[] buffer, int source, int tag)
    {
        fixed (byte* p = buffer)
        {
            Check(MpiNative.Recv(p, buffer.Length, source, tag, out _), "MPI_Recv", Rank);
        }
    }

    private static void Check(int code, string call, int rank)
    {
        if (code != 0)
        {
            throw new MpiException(call, code, rank);
        }
    }
}
