using HpcTune.Mpi.Interop;

namespace HpcTune.Mpi.Tests;

/// <summary>
/// MPI inside this test process (a singleton MPI_Init, no mpiexec). MPI can be initialized only once per process,
/// so this class holds the only test that does.
/// </summary>
public class MpiWorldTests
{
    [Fact]
    public async Task A_send_returns_before_the_receiver_looks_and_keeps_its_own_copy_of_the_bytes()
    {
        var original = new byte[MpiWorld.MaxMessageBytes];
        new Random(5).NextBytes(original);
        var data = (byte[])original.Clone();
        // MPI_THREAD_FUNNELED: one thread makes every MPI call. A blocking MPI_Send of this size to this very rank
        // would never return, since the receive that matches it comes after; so the test gives up after a minute.
        var exchange = Task.Factory.StartNew(() =>
        {
            using var world = MpiWorld.Initialize();
            world.Send(data, world.Rank, 5);
            data[0] ^= 0xFF; // the caller may reuse its buffer at once
            MpiMessage? received;
            var spin = new SpinWait();
            while ((received = world.TryReceive()) is null)
            {
                spin.SpinOnce();
            }

            return received.Value;
        }, TestContext.Current.CancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var finished = await Task.WhenAny(exchange, Task.Delay(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
        Assert.True(finished == exchange, "a 1 MiB send to this rank did not come back within a minute: the send blocks until a receive is posted");
        var message = await exchange;
        Assert.Equal(5, message.Tag);
        Assert.Equal(original, message.Data);
    }
}
