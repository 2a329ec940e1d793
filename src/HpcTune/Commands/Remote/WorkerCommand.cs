using System.CommandLine;
using System.Runtime.InteropServices;
using HpcTune.Cli.Display;
using HpcTune.Client;
using HpcTune.Objectives;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands.Remote;

/// <summary>
/// <c>worker --connect URL</c>: the evaluation loop of an MPI rank, against a study served over the network. The
/// objective is built as <c>run</c> builds it (<see cref="ObjectiveChoice"/>); the loop is
/// <see cref="ExperimentClient.WorkOnAsync(IObjective, int?, CancellationToken)"/>: heartbeats, retries with backoff
/// while the server restarts, a result sent again until acknowledged.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create(IReadOnlyList<string>? commandArgv, CliOutput logging)
    {
        var connection = new ConnectionOptions(required: true);
        var objective = new Option<string?>("--objective") { Description = $"A built-in objective instead of --command: builtin:NAME ({TestFunctions.Help})." };
        var trialTimeout = new Option<double?>("--trial-timeout") { Description = "Seconds a trial may run; then its process tree is killed and the trial fails." };
        var trialRoot = new Option<DirectoryInfo?>("--trial-root") { Description = "Where {trial_dir} folders are made, in a folder of the study's own (default: hpctune-trials in the current directory)." };
        var grace = new Option<double>("--grace") { Description = "Seconds a command stopped early by the study (early stopping) has between SIGTERM and SIGKILL.", DefaultValueFactory = _ => CommandObjectiveOptions.DefaultStopGrace.TotalSeconds };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Leave after evaluating this many trials (default: until the study is finished)." };
        var command = new Command("worker", """
            Join a study served by `HpcTune serve` and evaluate its trials until it is finished: the loop of an MPI
            worker rank, from any process or machine. Trials are heartbeaten while they run; calls are retried with
            backoff while the server is unreachable (a restart from its checkpoint), and a result is sent until the
            server acknowledges it (counted once). A command's HPCTUNE_REPORT lines go to the server, whose early
            stopping rule may stop the trial (the command is then ended as in a local run); a population's trial gets
            its {checkpoint_dir} (a path the server names: the file system must be shared) emptied and filled with its
            parent's files before it runs. Exit 0 when the study is finished (or --max-trials reached), 1 when
            it is broken, 2 on a usage error or refused token, 3 when the server stays unreachable or on a signal.
            --command ARGV...   The program that evaluates a trial, with {name} placeholders; must come last.

            Example:
              HpcTune worker --connect http://node1:8470 --token-file ckpt/token --command /usr/bin/python3 -u train.py --lr {lr}
            """)
        {
            objective, trialTimeout, trialRoot, maxTrials, grace, logging.Quiet,
        };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => RemoteErrors.Guard(async () =>
        {
            var logger = logging.CreateLogger("HpcTune");
            var stopGrace = parse.GetValue(grace);
            if (!double.IsFinite(stopGrace) || stopGrace < 0 || stopGrace > 1e6)
            {
                throw new ArgumentException($"--grace must be a number of seconds from 0 to 1e6, got {stopGrace}");
            }

            var choice = ObjectiveChoice.Resolve(parse.GetValue(objective), commandArgv, parse.GetValue(trialTimeout), null) with { StopGraceSeconds = stopGrace };
            if (parse.GetValue(maxTrials) is < 1)
            {
                throw new ArgumentException($"--max-trials must be at least 1, got {parse.GetValue(maxTrials)}");
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var signals = StopOnSignals(stop, logger);
            using var client = await connection.ConnectAsync(parse, logger, stop.Token).ConfigureAwait(false);
            var definition = client.Definition ?? throw new ArgumentException($"this HpcTune cannot read the definition of study '{client.StudyId}' that the server sent; is it a newer version?");
            // The trial folders belong to the served study; its URL and id mark them as this study's own.
            var owner = $"{client.Url} study {client.StudyId}";
            var root = parse.GetValue(trialRoot)?.FullName ?? Path.GetFullPath("hpctune-trials");
            var evaluator = choice.Create(definition, new TrialPlace(TrialFolders.StudyRoot(root, definition.Name, owner), owner), logger);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.WorkerJoined(client.Worker, client.StudyId, client.Url.ToString(), choice.Describe);
            }

            int evaluated;
            try
            {
                evaluated = await client.WorkOnAsync(evaluator, parse.GetValue(maxTrials), stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("interrupted: the trial in hand was released").ConfigureAwait(false);
                return ExitCodes.Interrupted;
            }

            var study = await client.GetStudyAsync(stop.Token).ConfigureAwait(false);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.WorkerLeft(client.Worker, evaluated, study.Status.ToString().ToLowerInvariant(), client.FinishedReason ?? "its trial limit was reached");
            }

            return study.Status == RemoteStudyStatus.Broken ? ExitCodes.Broken : ExitCodes.Done;
        }));
        return command;
    }

    /// <summary>SIGINT, SIGTERM and SIGHUP stop the worker cleanly: its trial is released and goes out again first.</summary>
    private static Registrations StopOnSignals(CancellationTokenSource stop, ILogger logger) =>
        new([.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            logger.WorkerStopping(context.Signal.ToString());
            stop.Cancel();
        }))]);

    private sealed class Registrations(IReadOnlyList<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }
}
