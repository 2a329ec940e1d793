using HpcTune.Cli.Display;

namespace HpcTune.Cli.Tests;

/// <summary>The live display's ETA: the rate of the latest completions, not the average since the start.</summary>
public sealed class CompletionRateTests
{
    [Fact]
    public void The_time_left_follows_the_recent_rate()
    {
        var rate = new CompletionRate();
        Assert.Null(rate.TimeLeft(10));
        rate.Record(TimeSpan.FromSeconds(0), 0);
        Assert.Null(rate.TimeLeft(10)); // one sample: no rate yet

        // 100 completions at one a second, then CompletionRate.Window at four a second: the rate is the latter's.
        for (var i = 1; i <= 100; i++)
        {
            rate.Record(TimeSpan.FromSeconds(i), i);
        }

        Assert.Equal(1.0, rate.PerSecond!.Value, 9);
        for (var i = 1; i <= CompletionRate.Window; i++)
        {
            rate.Record(TimeSpan.FromSeconds(100 + (i * 0.25)), 100 + i);
        }

        Assert.Equal(4.0, rate.PerSecond!.Value, 9);
        Assert.Equal(TimeSpan.FromSeconds(10), rate.TimeLeft(40));
        Assert.Equal(TimeSpan.Zero, rate.TimeLeft(0));
    }

    [Fact]
    public void A_sample_without_a_new_completion_changes_nothing()
    {
        var rate = new CompletionRate();
        rate.Record(TimeSpan.FromSeconds(0), 0);
        rate.Record(TimeSpan.FromSeconds(2), 4);
        rate.Record(TimeSpan.FromSeconds(50), 4); // redrawn while nothing finished
        Assert.Equal(2.0, rate.PerSecond!.Value, 9);
    }
}
