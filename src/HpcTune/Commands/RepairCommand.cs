using System.CommandLine;
using HpcTune.Journal;

namespace HpcTune.Cli.Commands;

/// <summary><c>repair</c>: rewrites a damaged journal from its intact records, keeping a backup (docs/journal.md).</summary>
internal static class RepairCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption.Create();
        var command = new Command("repair", """
            Rewrite a damaged journal from every intact record that replays consistently, after copying it to
            journal.htj.bak-TIME. Prints what it drops and what it keeps; a healthy journal is left alone. Takes the
            master lock: stop the master first. Exit 0 when repaired or healthy, 2 when nothing can be recovered.

            Example:
              HpcTune repair --checkpoint ckpt
            """)
        {
            checkpoint,
        };
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var report = Checkpoint.Repair(parse.GetValue(checkpoint)!.FullName);
            foreach (var line in report.Lines)
            {
                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return ExitCodes.Done;
        }));
        return command;
    }
}
