using System.Runtime.InteropServices;

namespace HpcTune.Mpi.Interop;

/// <summary>The C functions of libhpctune_mpi (native/mpi/hpctune_mpi.h).</summary>
internal static unsafe partial class MpiNative
{
    public const string Library = "hpctune_mpi";
    public const int ExpectedVersion = 2;
    public const int Any = -1;

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_version")]
    public static partial int Version();

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_init")]
    public static partial int Init(out int provided);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_finalize")]
    public static partial int Finalize();

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_rank")]
    public static partial int Rank(out int rank);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_size")]
    public static partial int Size(out int size);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_processor_name")]
    public static partial int ProcessorName(byte* buffer, int capacity, out int length);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_send")]
    public static partial int Send(byte* data, int length, int destination, int tag);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_iprobe")]
    public static partial int Iprobe(int source, int tag, out int found, out int actualSource, out int actualTag, out int length);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_recv")]
    public static partial int Recv(byte* buffer, int capacity, int source, int tag, out int length);

    [LibraryImport(Library, EntryPoint = "hpctune_mpi_abort")]
    public static partial int Abort(int code);
}
