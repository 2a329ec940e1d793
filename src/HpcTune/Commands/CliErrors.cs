using HpcTune.Journal;
using HpcTune.Study;

namespace HpcTune.Cli.Commands;

/// <summary>
/// The one place that turns exceptions into messages and exit codes: a journal that cannot be written during a run
/// is an interruption (3, resume continues), any other I/O error a refusal (2); never a stack trace.
/// </summary>
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
        catch (HpcTune.Tuning.ResultMismatchException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (JournalWriteException e)
        {
            // The study is intact up to its last acknowledged record; what was open is re-issued by resume.
            var checkpoint = Path.GetDirectoryName(e.Path);
            await Console.Error.WriteLineAsync($"error: {e.Message}\nstopped: every result acknowledged before is on disk; trials still open are re-issued by 'HpcTune resume --checkpoint {checkpoint}' once the cause is fixed").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // .NET's messages name the path: "Read-only file system : '/scratch/ckpt/journal.htj'".
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
