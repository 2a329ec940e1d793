using HpcTune.Journal;
using HpcTune.Study;

namespace HpcTune.Cli.Commands;

/// <summary>The one place that turns exceptions into messages and exit codes.</summary>
internal static class CliErrors
{
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (DefinitionException e)
        {
            await Console.Error.WriteLineAsync($"error: study definition: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (e is CheckpointException or JournalCorruptException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("interrupted: open trials were released").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
    }
}
