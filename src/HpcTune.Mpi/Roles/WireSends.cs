using HpcTune.Mpi.Interop;
using HpcTune.Transport;

namespace HpcTune.Mpi.Roles;

/// <summary>How both roles put messages on the wire.</summary>
internal static class WireSends
{
    /// <summary>The MPI tag of every HpcTune message.</summary>
    public const int Tag = 7;

    /// <summary>Sends <paramref name="messages"/> to <paramref name="rank"/>, in order, as few MPI messages as fit (<see cref="MessageCodec.Pack"/>).</summary>
    public static void SendAll(this MpiWorld world, IReadOnlyList<WireMessage> messages, int rank)
    {
        foreach (var payload in MessageCodec.Pack(messages, MpiWorld.MaxMessageBytes))
        {
            world.Send(payload, rank, Tag);
        }
    }
}
