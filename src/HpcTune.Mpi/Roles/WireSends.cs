using HpcTune.Mpi.Interop;
using HpcTune.Mpi.Messages;

namespace HpcTune.Mpi.Roles;

/// <summary>How both roles put messages on the wire.</summary>
internal static class WireSends
{
    /// <summary>Sends <paramref name="messages"/> to <paramref name="rank"/>, in order, as few MPI messages as fit (<see cref="MessageCodec.Pack"/>).</summary>
    public static void SendAll(this MpiWorld world, IReadOnlyList<WireMessage> messages, int rank)
    {
        foreach (var payload in MessageCodec.Pack(messages, MpiWorld.MaxMessageBytes))
        {
            world.Send(payload, rank, MessageCodec.Tag);
        }
    }
}
