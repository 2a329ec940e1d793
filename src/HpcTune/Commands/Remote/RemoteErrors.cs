using Grpc.Core;
using HpcTune.Client;
using HpcTune.Trials;

namespace HpcTune.Cli.Commands.Remote;

/// <summary>
/// Exit codes for the verbs that talk to a server: an unreachable server is 3 (try again later), a conflict 4
/// (duplicate insert, a trial finished or held elsewhere), a refused token or request 2; the rest as <see cref="CliErrors"/>.
/// </summary>
internal static class RemoteErrors
{
    public static Task<int> Guard(Func<Task<int>> action) => CliErrors.Guard(async () =>
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ServiceUnreachableException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}\nIs `HpcTune serve` running at that address? (--retry-timeout sets how long to keep trying)").ConfigureAwait(false);
            return ExitCodes.Interrupted;
        }
        catch (DuplicateTrialException e)
        {
            await Console.Error.WriteLineAsync($"error: duplicate: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Conflict;
        }
        catch (ServiceCallException e) when (e.Status == StatusCode.Unauthenticated)
        {
            await Console.Error.WriteLineAsync($"error: the server refused the token ({e.Message}); give the token `serve` wrote to CHECKPOINT/token with --token-file FILE or HPCTUNE_TOKEN").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (ServiceCallException e) when (e.IsConflict)
        {
            await Console.Error.WriteLineAsync($"error: conflict: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Conflict;
        }
        catch (ServiceCallException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"error: the server's answer: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
    });
}
