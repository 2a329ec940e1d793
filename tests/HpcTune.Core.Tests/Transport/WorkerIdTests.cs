using HpcTune.Transport;

namespace HpcTune.Tests.Transport;

public class WorkerIdTests
{
    [Fact]
    public void The_names_are_the_ones_the_journal_has_always_recorded()
    {
        Assert.Equal("rank-3", WorkerId.Rank(3).ToString());
        Assert.Equal("rank-3.1", WorkerId.Rank(3, 1).ToString());
        Assert.Equal("thread-2", WorkerId.Thread(2).ToString());
        Assert.Equal("gpu-node-7", WorkerId.Named("gpu-node-7").ToString());
        Assert.Equal("gpu-node-7.2", WorkerId.Named("gpu-node-7", 2).ToString());
    }

    [Fact]
    public void A_slot_belongs_to_its_endpoint_and_ids_compare_by_value()
    {
        var slot = WorkerId.Rank(3, 1);
        Assert.Equal(WorkerId.Rank(3), slot.Endpoint);
        Assert.Equal(("rank", 3, 1), (slot.Group, slot.Number, slot.Slot));
        Assert.Equal(slot, WorkerId.Rank(3).WithSlot(1));
        Assert.NotEqual(WorkerId.Rank(3), WorkerId.Thread(3));
        Assert.Null(WorkerId.Named("alice").Number);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rank-3.1")]
    [InlineData("two words")]
    [InlineData("tab\t")]
    public void A_name_that_could_be_misread_is_refused(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => WorkerId.Named(name));
        Assert.Contains($"worker name '{name}'", e.Message, StringComparison.Ordinal);
    }
}
