using System.CommandLine;
using HpcTune.Cli.Display;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Service.Hosting;
using HpcTune.Service.Security;
using HpcTune.Service.Studies;
using HpcTune.Study;
using HpcTune.Tuning;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary>
/// <c>serve</c>: the master of one study (<c>--checkpoint</c>) or of many (<c>--root</c>) for workers and clients in
/// other processes and on other machines, over gRPC and HTTP/JSON (CONTRACTS.md §7, docs/service.md).
/// </summary>
internal static class ServeCommand
{
    public static Command Create(IReadOnlyList<string>? commandArgv, CliOutput logging)
    {
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "Serve the study in this checkpoint (resumed if it holds one; made from --study if not)." };
        var study = new Option<FileInfo?>("--study") { Description = "Study definition JSON for a new checkpoint; for an existing one it must be the recorded study (only observation_budget may be larger)." };
        var root = new Option<DirectoryInfo?>("--root") { Description = "Serve every study in this folder (one checkpoint folder each); clients create more." };
        var listen = new Option<string>("--listen") { Description = $"HOST:PORT to listen on (port 0: a free one, printed). Default 127.0.0.1:{ServiceEndpoint.DefaultPort}: this machine only.", DefaultValueFactory = _ => $"127.0.0.1:{ServiceEndpoint.DefaultPort}" };
        var tlsCert = new Option<FileInfo?>("--tls-cert") { Description = "TLS certificate (PEM); with --tls-key the server speaks https and gRPC over HTTP/2." };
        var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "The certificate's private key (PEM)." };
        var lease = new Option<double>("--lease") { Description = "Seconds a worker may go unheard (no heartbeat, no result) before its trial goes to another worker.", DefaultValueFactory = _ => 60 };
        var workers = new Option<int>("--workers") { Description = "Also evaluate trials with this many threads of this process (needs --objective or --command; --checkpoint only).", DefaultValueFactory = _ => 0 };
        var objective = new Option<string?>("--objective") { Description = $"The local threads' objective: builtin:NAME ({TestFunctions.Help})." };
        var trialTimeout = new Option<double?>("--trial-timeout") { Description = "Seconds a local thread's trial may run." };
        var exitWhenDone = new Option<bool>("--exit-when-done") { Description = "Exit once the study is finished (done, broken or stopped) and no trial is open (--checkpoint only)." };
        var command = new Command("serve", """
            Serve studies to workers in other processes and on other machines: `HpcTune worker --connect URL`, the
            ask/tell/insert/trials verbs, the C# and Python clients, curl. Prints "listening on URL" once it accepts
            calls; every call must carry the bearer token written to DIR/token (mode 0600, kept across restarts).
            Started again on the same folder it resumes: workers reconnect and carry on. Stops on SIGINT/SIGTERM.
            --command ARGV... (the local threads' objective) must come last.

            Examples:
              HpcTune serve --checkpoint ckpt --study study.json --listen 0.0.0.0:7781
              HpcTune serve --root studies
            """)
        {
            checkpoint, study, root, listen, tlsCert, tlsKey, lease, workers, objective, trialTimeout, exitWhenDone,
        };
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var logger = logging.CreateLogger("HpcTune");
            var endpoint = ServiceEndpoint.Parse(parse.GetValue(listen)!);
            var leaseSeconds = parse.GetValue(lease);
            if (!double.IsFinite(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 1e6)
            {
                throw new ArgumentException($"--lease must be a number of seconds from 1 to 1e6, got {leaseSeconds}");
            }

            var tls = (parse.GetValue(tlsCert), parse.GetValue(tlsKey)) switch
            {
                (null, null) => null,
                ({ } cert, { } key) => new TlsFiles(cert.FullName, key.FullName),
                _ => throw new ArgumentException("--tls-cert and --tls-key go together"),
            };
            var threads = parse.GetValue(workers) is var count and not 0 ? WorkerCount.Validate(count) : 0;
            var dir = parse.GetValue(checkpoint);
            var many = parse.GetValue(root);
            if ((dir is null) == (many is null))
            {
                throw new ArgumentException("give --checkpoint DIR (one study) or --root DIR (many), not both");
            }

            ObjectiveChoice? choice = null;
            if (threads > 0 || parse.GetValue(objective) is not null || commandArgv is not null)
            {
                if (dir is null)
                {
                    throw new ArgumentException("--workers, --objective and --command go with --checkpoint (one study), not --root");
                }

                choice = ObjectiveChoice.Resolve(parse.GetValue(objective), commandArgv, parse.GetValue(trialTimeout), null);
                if (threads == 0 && !MpiStudyRunner.UnderMpi)
                {
                    throw new ArgumentException("--objective/--command need --workers N: how many threads of this process evaluate trials");
                }
            }

            // A suggest call blocks its thread while it waits for a model shared with other callers: with dozens of
            // workers asking at once the pool must not add threads one by one (every call would wait for it).
            ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
            ThreadPool.SetMinThreads(Math.Max(minWorkers, 256), minIo);
            var options = new StudyHostOptions(
                TimeSpan.FromSeconds(leaseSeconds),
                Environment.ProcessorCount >= 2 ? 4 : 0,
                choice?.TrialTimeoutSeconds is { } timeout ? TimeSpan.FromSeconds(timeout) : null,
                choice is null ? "serve" : $"serve + {choice.Describe}",
                choice?.Command);
            var definition = parse.GetValue(study) is { } file ? StudyDefinitionJson.Load(file.FullName) : null;
            var folder = (dir ?? many)!.FullName;
            if (MpiStudyRunner.UnderMpi)
            {
                // Ranks 1..N-1 evaluate; rank 0 is the master of their study and serves it to the network as well.
                if (dir is null || choice is null || threads > 0)
                {
                    throw new ArgumentException("under mpiexec, serve takes --checkpoint and the ranks' objective (--objective or --command), without --workers: the ranks are the local workers");
                }

                return await MpiStudyRunner.RunAsync(
                    () => new MpiStudyRunner.MasterSetup(OpenOrCreate(dir.FullName, definition), choice, new TrialPlace(Path.TrimEndingDirectorySeparator(folder) + ".trials", TrialFolders.OwnerOf(folder)), new StopSettings(options.Lease, TimeSpan.FromSeconds(60)), definition?.ObservationBudget),
                    logger,
                    logging,
                    (held, tuner, hub) => ServiceCompanion.StartAsync(StudyHost.Attach(StudyCatalog.IdOf(held), held, tuner, hub, logger), options, endpoint, tls, logger)).ConfigureAwait(false);
            }

            await using var catalog = dir is not null ? StudyCatalog.Single(OpenOrCreate(dir.FullName, definition), options, logger, definition?.ObservationBudget) : StudyCatalog.Root(many!.FullName, options, logger);
            var token = TokenFile.LoadOrCreate(folder);
            var local = choice?.Create(catalog.All[0].Tuner.Definition, new TrialPlace(Path.TrimEndingDirectorySeparator(folder) + ".trials", TrialFolders.OwnerOf(folder))); // checked before anyone is served
            await using var app = await ServiceCompanion.ListenAsync(catalog, token, folder, endpoint, tls).ConfigureAwait(false);

            if (local is not null)
            {
                catalog.All[0].StartThreads(local, threads);
            }

            using var stop = new GracefulStop(TimeSpan.Zero);
            using var signals = StopSignals.Register(stop, logger);
            var finished = parse.GetValue(exitWhenDone) && dir is not null ? UntilFinishedAsync(catalog.All[0]) : Task.Delay(Timeout.Infinite, stop.Draining);
            await Task.WhenAny(finished, Task.Delay(Timeout.Infinite, stop.Draining)).ConfigureAwait(false);
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            var progress = dir is not null ? catalog.All[0].Tuner.Progress : default;
            await catalog.DisposeAsync().ConfigureAwait(false);
            return dir is null ? ExitCodes.Done : progress.Status switch
            {
                StudyStatus.Completed => ExitCodes.Done,
                StudyStatus.Broken => ExitCodes.Broken,
                _ => ExitCodes.Interrupted,
            };
        }));
        return command;
    }

    /// <summary>The checkpoint in <paramref name="directory"/>: opened when it holds a study, else made from <paramref name="definition"/>.</summary>
    private static Checkpoint OpenOrCreate(string directory, StudyDefinition? definition)
    {
        if (!File.Exists(Checkpoint.JournalPath(directory)))
        {
            return Checkpoint.Create(directory, definition ?? throw new ArgumentException($"{directory} holds no study yet: give --study STUDY.json to start one"));
        }

        var held = Checkpoint.Open(directory);
        if (definition is not null && DefinitionDiff.Compare(held.State.Definition, definition) is { Count: > 0 } differences)
        {
            held.Dispose();
            throw new CheckpointException($"the study given differs from the one recorded in {directory} in more than observation_budget:\n  {string.Join("\n  ", differences)}");
        }

        return held;
    }

    /// <summary>Completes when the study hands out nothing more and holds no open trial.</summary>
    private static async Task UntilFinishedAsync(StudyHost host)
    {
        while (true)
        {
            var changed = host.Tuner.WaitForChangeAsync();
            var progress = host.Tuner.Progress;
            if ((progress.Status != StudyStatus.Running || host.Tuner.StopReason is not null) && progress.Open == 0)
            {
                await host.DurableAsync().ConfigureAwait(false);
                return;
            }

            await changed.ConfigureAwait(false);
        }
    }
}
