using System.CommandLine;
using HpcTune.Cli.Report;
using HpcTune.Journal;

namespace HpcTune.Cli.Commands;

/// <summary><c>report</c>: the study as one self-contained HTML file of charts, read from its journal like <c>status</c>.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption.Create();
        var output = new Option<FileInfo>("--output") { Description = "The HTML file to write.", Required = true };
        var command = new Command("report", """
            Write one HTML file that opens without network access: the best value so far against trials and wall
            time, every trial's value, each parameter against the objective, parallel coordinates, the Pareto front
            (several objectives), intermediate reports, the lineage of a population, and a timeline of trials per
            worker with each one's busy share. Safe while a master is running.

            Example:
              HpcTune report --checkpoint ckpt --output report.html
            """)
        {
            checkpoint, output,
        };
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var directory = parse.GetValue(checkpoint)!.FullName;
            var contents = Checkpoint.Read(directory);
            var page = ReportPage.Render(contents, DateTimeOffset.UtcNow);
            var file = parse.GetValue(output)!.FullName;
            await ExportOutput.WriteAsync(file, directory, page, ExportOutput.Report).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"report of study '{contents.Definition.Name}' ({contents.State.Trials.Count} trials) written to {file}").ConfigureAwait(false);
            if (contents.TailWarning is { } warning)
            {
                await Console.Error.WriteLineAsync($"note: {warning}").ConfigureAwait(false);
            }

            return ExitCodes.Done;
        }));
        return command;
    }
}
