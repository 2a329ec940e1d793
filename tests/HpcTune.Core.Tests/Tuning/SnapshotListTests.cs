using HpcTune.Tuning;

namespace HpcTune.Tests.Tuning;

/// <summary>A frozen view never changes, whatever its list does afterwards; the list sees its own changes.</summary>
public class SnapshotListTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(2000)]
    public void A_view_keeps_what_it_saw_while_the_list_replaces_and_appends(int count)
    {
        var list = new SnapshotList<string>();
        for (var i = 0; i < count; i++)
        {
            list.Add($"a{i}");
        }

        var view = list.Freeze();
        for (var i = 0; i < count; i += 3)
        {
            list[i] = $"b{i}"; // replaced after the freeze: the view keeps the old item
        }

        for (var i = 0; i < 600; i++)
        {
            list.Add($"c{i}");
        }

        var second = list.Freeze();
        if (count > 0)
        {
            list[0] = "d0";
        }

        Assert.Equal(count, view.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"a{i}"), view);
        Assert.Equal(Enumerable.Range(0, count).Select(i => view[i]), view);
        Assert.Equal(count + 600, second.Count);
        Assert.Equal(Enumerable.Range(0, count).Select(i => i % 3 == 0 ? $"b{i}" : $"a{i}").Concat(Enumerable.Range(0, 600).Select(i => $"c{i}")), second);
        Assert.Equal(count > 0 ? "d0" : "c0", list[0]);
        var appended = view.Append("x").Append("y");
        Assert.Equal(count + 2, appended.Count);
        Assert.Equal("y", appended[count + 1]);
        Assert.Equal(count, view.Count); // appending makes a new view
        Assert.Throws<ArgumentOutOfRangeException>(() => view[count]);
    }
}
