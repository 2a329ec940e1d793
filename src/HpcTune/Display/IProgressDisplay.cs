using HpcTune.Tuning;

namespace HpcTune.Cli.Display;

/// <summary>Shows a study's progress while <c>run</c> executes.</summary>
internal interface IProgressDisplay
{
    Task<StudySummary> RunAsync(Tuner tuner, Func<Task<StudySummary>> run);
}
