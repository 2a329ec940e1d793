using System.CommandLine;
using HpcTune.Journal;
using HpcTune.Trials;

namespace HpcTune.Cli.Commands;

/// <summary><c>open</c>: list the suggestions whose results are not in, or drop them.</summary>
internal static class OpenCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption.Create();
        var delete = new Option<bool>("--delete") { Description = "Drop every open suggestion (needs the checkpoint: no master may be running)." };
        var command = new Command("open", """
            List open suggestions (handed out, or interrupted and waiting to be handed out again), or delete them.
            A deleted suggestion is never handed out again; a result that arrives for it later is rejected.

            Example:
              HpcTune open --checkpoint ckpt --delete
            """)
        {
            checkpoint, delete,
        };
        command.SetAction((parse, _) => CliErrors.Guard(() =>
        {
            var directory = parse.GetValue(checkpoint)!.FullName;
            if (parse.GetValue(delete))
            {
                using var held = Checkpoint.Open(directory);
                var count = held.CreateTuner().DeleteOpen();
                Console.Out.WriteLine($"deleted {count} open suggestion{(count == 1 ? "" : "s")}");
                return Task.FromResult(ExitCodes.Done);
            }

            var open = Checkpoint.Read(directory).State.Trials.Where(t => t.State is TrialState.Open or TrialState.Interrupted).ToList();
            Console.Out.WriteLine($"{open.Count} open suggestion{(open.Count == 1 ? "" : "s")}");
            foreach (var trial in open)
            {
                Console.Out.WriteLine($"  trial {trial.Id} {trial.State.ToString().ToLowerInvariant()} worker {trial.Worker} since {trial.SuggestedAt:u} attempt {trial.Attempts}: {trial.Assignment}");
            }

            return Task.FromResult(ExitCodes.Done);
        }));
        return command;
    }
}
