using Microsoft.Extensions.Logging;

namespace HpcTune.Objectives;

/// <summary>
/// The progress reports of one run of a command objective: report lines are taken from standard output as the reader
/// splits it (<see cref="Take"/>), and sent in order through the trial's reporter after each chunk read
/// (<see cref="SendAsync"/>), so a program that prints reports faster than the study answers them waits on its full
/// pipe instead of growing a queue here. A bad line is skipped with its reason logged (the first
/// <see cref="LoggedProblems"/> of a run; later ones are only counted). Once the study answers stop,
/// <see cref="Stopped"/> completes and nothing more is sent.
/// </summary>
internal sealed class CommandReports(TrialContext trial, ILogger? logger)
{
    /// <summary>How many bad report lines of one run are logged one by one; the rest are counted in the last message.</summary>
    public const int LoggedProblems = 5;

    private readonly List<ReportLine> _pending = [];
    private readonly TaskCompletionSource<ReportAnswer> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Task _inFlight = Task.CompletedTask;
    private long? _lastStep;
    private int _skipped;

    /// <summary>Completes with the study's stop answer; never, if the trial is not stopped.</summary>
    public Task<ReportAnswer> Stopped => _stopped.Task;

    /// <summary>The stop answer, once there is one.</summary>
    public ReportAnswer? Stop => _stopped.Task.IsCompleted ? _stopped.Task.Result : null;

    /// <summary>Report lines recorded by the study.</summary>
    public int Recorded { get; private set; }

    /// <summary>Report lines skipped: malformed, a step that does not increase, or refused by the study.</summary>
    public int Skipped => _skipped;

    /// <summary>
    /// Takes <paramref name="line"/> when it is a report line (well formed or not; a report is never a result) and
    /// returns true; other lines are left to the caller. Runs on the reader's thread.
    /// </summary>
    public bool Take(OutputLine line)
    {
        if (!ReportLineParser.IsReport(line))
        {
            return false;
        }

        if (_stopped.Task.IsCompleted)
        {
            return true; // the trial already ended: what the program prints while it winds down is not wanted
        }

        if (ReportLineParser.Parse(line, out var problem) is not { } report)
        {
            Skip(problem!);
        }
        else if (_lastStep is { } last && report.Step <= last)
        {
            Skip($"step {report.Step} does not increase (the last report was step {last})");
        }
        else
        {
            _lastStep = report.Step;
            _pending.Add(report);
        }

        return true;
    }

    /// <summary>Sends the reports taken since the last call, one at a time, each after the previous one's answer.</summary>
    public async Task SendAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        ReportLine[] batch = [.. _pending];
        _pending.Clear();
        foreach (var report in batch)
        {
            if (_stopped.Task.IsCompleted || cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // Marked before the call: an in-process reporter cancels the trial's token inside it, and whoever reacts
            // to that must find this report in flight and wait for its answer.
            var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _inFlight = sent.Task;
            try
            {
                await SendOneAsync(report, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                sent.SetResult();
            }
        }
    }

    /// <summary>
    /// Waits for the report being sent, if any (bounded by <paramref name="patience"/>): when the trial's token is
    /// cancelled while its stop answer is on the way (an in-process reporter cancels it before it returns), the answer
    /// then decides how the program ends.
    /// </summary>
    public async Task SettleAsync(TimeSpan patience)
    {
        try
        {
            await _inFlight.WaitAsync(patience).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Decided without it: the trial was cancelled for another reason.
        }
    }

    /// <summary>Logs how many bad report lines were not logged one by one.</summary>
    public void Summarize()
    {
        if (_skipped > LoggedProblems && logger is not null && logger.IsEnabled(LogLevel.Warning))
        {
            logger.ReportLinesSkipped(trial.TrialId, _skipped, _skipped - LoggedProblems);
        }
    }

    private async Task SendOneAsync(ReportLine report, CancellationToken cancellationToken)
    {
        ReportAnswer answer;
        try
        {
            answer = await trial.ReportAsync(report.Step, report.Values, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // the trial is being abandoned or the run stops
        }
#pragma warning disable CA1031 // a report that cannot be delivered must not end the trial: its result still counts
        catch (Exception e)
#pragma warning restore CA1031
        {
            Skip($"the study could not take it: {e.GetType().Name}: {e.Message}", report.Step);
            return;
        }

        if (answer.Recorded)
        {
            Recorded++;
        }
        else if (!answer.Stop && trial.Reporter is not null)
        {
            Skip($"the study did not record it: {answer.Reason}", report.Step);
        }

        if (answer.Stop)
        {
            _stopped.TrySetResult(answer);
        }
    }

    private void Skip(string problem, long? step = null)
    {
        if (++_skipped <= LoggedProblems && logger is not null && logger.IsEnabled(LogLevel.Warning))
        {
            logger.ReportLineSkipped(trial.TrialId, step is { } s ? $"step {s}: {problem}" : problem);
        }
    }
}
