using HpcTune.Mpi.Roles;

namespace HpcTune.Mpi.Tests;

/// <summary>How long a worker's MPI thread waits between looks for messages while an objective runs.</summary>
public sealed class MpiWorkerPollTests
{
    [Fact]
    public void Without_heartbeats_it_waits_250_ms() => Assert.Equal(TimeSpan.FromMilliseconds(250), MpiWorker.PollWait(null));

    [Fact]
    public void A_heartbeat_due_sooner_shortens_the_wait_to_whole_milliseconds_rounded_up()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), MpiWorker.PollWait(TimeSpan.FromSeconds(15)));
        Assert.Equal(TimeSpan.FromMilliseconds(40), MpiWorker.PollWait(TimeSpan.FromMilliseconds(39.2)));
    }

    /// <summary>Task.WaitAny drops fractions of a millisecond: a wait under 1 ms would return at once, every pass (a spin).</summary>
    [Theory]
    [InlineData(0.6)]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_heartbeat_due_within_a_millisecond_or_overdue_still_waits_one(double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(1), MpiWorker.PollWait(TimeSpan.FromMilliseconds(milliseconds)));
}
