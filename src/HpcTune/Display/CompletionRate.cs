namespace HpcTune.Cli.Display;

/// <summary>
/// The recent completion rate of a study and the time left at that rate: the last <see cref="Window"/> completions
/// only, so a study whose trials speed up or slow down (a GP that grows slower, a queue that fills) gets an estimate
/// of what is happening now rather than the average since it started.
/// </summary>
internal sealed class CompletionRate
{
    /// <summary>How many of the latest completions the rate is measured over.</summary>
    public const int Window = 20;

    private readonly Queue<(TimeSpan At, int Completed)> _samples = new();

    /// <summary>Notes that <paramref name="completed"/> trials had completed at <paramref name="at"/> (a clock that only goes forward).</summary>
    public void Record(TimeSpan at, int completed)
    {
        if (_samples.Count > 0 && _samples.Last().Completed >= completed)
        {
            return; // no new completion
        }

        _samples.Enqueue((at, completed));
        while (_samples.Count > Window + 1)
        {
            _samples.Dequeue();
        }
    }

    /// <summary>Completions per second over the window; null until two completions are apart in time.</summary>
    public double? PerSecond
    {
        get
        {
            if (_samples.Count < 2)
            {
                return null;
            }

            var (firstAt, firstCount) = _samples.Peek();
            var (lastAt, lastCount) = _samples.Last();
            var seconds = (lastAt - firstAt).TotalSeconds;
            return seconds > 0 ? (lastCount - firstCount) / seconds : null;
        }
    }

    /// <summary>The time the <paramref name="remaining"/> completions take at <see cref="PerSecond"/>; zero when none remain, null when unknown.</summary>
    public TimeSpan? TimeLeft(int remaining) =>
        remaining <= 0 ? TimeSpan.Zero
        : PerSecond is { } rate && rate > 0 ? TimeSpan.FromSeconds(Math.Min(remaining / rate, TimeSpan.MaxValue.TotalSeconds / 2)) : null;
}
