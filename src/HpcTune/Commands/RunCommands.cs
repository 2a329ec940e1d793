using System.CommandLine;
using HpcTune.Cli.Display;
using HpcTune.Journal;
using HpcTune.Study;
using Microsoft.Extensions.Logging;

namespace HpcTune.Cli.Commands;

/// <summary><c>run</c> starts a study in a checkpoint; <c>resume</c> continues one.</summary>
internal static class RunCommands
{
    private const string CommandHelp = "--command ARGV...   The program that evaluates a trial, with {name} placeholders; must come last: every argument after it is the program's, verbatim.";

    public static Command CreateRun(IReadOnlyList<string>? commandArgv, CliOutput logging)
    {
        var study = new Option<FileInfo>("--study") { Description = "Study definition JSON (CONTRACTS.md §1).", Required = true };
        var options = new SharedOptions();
        var command = new Command("run", $$"""
            Start a study: journal it in --checkpoint and evaluate trials with in-process workers until the
            observation budget is met. The checkpoint must not hold a study yet (use resume for that).
            {{CommandHelp}}

            Example:
              HpcTune run --study svm.json --checkpoint ckpt --workers 4 --trial-timeout 3600 --command /usr/bin/python3 -u train.py --gamma {gamma} --kernel {kernel}
            """)
        {
            study, logging.Quiet,
        };
        options.AddTo(command);
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var logger = logging.CreateLogger("HpcTune");
            if (MpiStudyRunner.UnderMpi)
            {
                return await MpiStudyRunner.RunAsync(() =>
                {
                    var (definition, choice, _, _) = Prepare(parse, logger);
                    return new MpiStudyRunner.MasterSetup(Checkpoint.Create(parse.GetValue(options.Checkpoint)!.FullName, definition), choice, options.Trials(parse, definition), options.Settings(parse), null);
                }, logger, logging).ConfigureAwait(false);
            }

            var (definition, choice, objective, workers) = Prepare(parse, logger); // every input is checked before the checkpoint is made
            var settings = options.Settings(parse);
            using var checkpoint = Checkpoint.Create(parse.GetValue(options.Checkpoint)!.FullName, definition);
            return await StudyRunner.RunAsync(checkpoint, choice, objective, workers, settings, logger, logging).ConfigureAwait(false);
        }));

        (StudyDefinition Definition, ObjectiveChoice Choice, Objectives.IObjective Objective, int? Workers) Prepare(ParseResult parse, ILogger logger)
        {
            var definition = StudyDefinitionJson.Load(parse.GetValue(study)!.FullName);
            var settings = options.Settings(parse); // checked before the checkpoint is made
            var choice = ObjectiveChoice.Resolve(parse.GetValue(options.Objective), commandArgv, parse.GetValue(options.TrialTimeout), null) with { StopGraceSeconds = settings.Grace.TotalSeconds };
            return (definition, choice, choice.Create(definition, options.Trials(parse, definition), logger), options.ValidWorkers(parse));
        }

        return command;
    }

    public static Command CreateResume(IReadOnlyList<string>? commandArgv, CliOutput logging)
    {
        var study = new Option<FileInfo>("--study") { Description = "The study definition again: only observation_budget may differ from the recorded one (and only upwards)." };
        var budget = new Option<int?>("--budget") { Description = "Raise the observation budget to this." };
        var options = new SharedOptions();
        var command = new Command("resume", $"""
            Continue the study in --checkpoint: suggestions that were open are handed out again first, then new ones
            until the budget is met. Without --objective/--command the objective of the last run is used.
            {CommandHelp}

            Example:
              HpcTune resume --checkpoint ckpt --budget 200
            """)
        {
            study, budget, logging.Quiet,
        };
        options.AddTo(command);
        command.SetAction((parse, _) => CliErrors.Guard(async () =>
        {
            var logger = logging.CreateLogger("HpcTune");
            if (MpiStudyRunner.UnderMpi)
            {
                return await MpiStudyRunner.RunAsync(() =>
                {
                    var (checkpoint, choice, _, _, newBudget) = Open(parse, logger);
                    return new MpiStudyRunner.MasterSetup(checkpoint, choice, options.Trials(parse, checkpoint.State.Definition), options.Settings(parse), newBudget);
                }, logger, logging).ConfigureAwait(false);
            }

            var (held, chosen, objective, workers, budgetToRaise) = Open(parse, logger);
            using (held)
            {
                return await StudyRunner.RunAsync(held, chosen, objective, workers, options.Settings(parse), logger, logging, budgetToRaise).ConfigureAwait(false);
            }
        }));

        (Checkpoint Checkpoint, ObjectiveChoice Choice, Objectives.IObjective Objective, int? Workers, int? NewBudget) Open(ParseResult parse, ILogger logger)
        {
            var workers = options.ValidWorkers(parse);
            options.Settings(parse); // checked before the checkpoint is opened
            var given = parse.GetValue(study) is { } file ? StudyDefinitionJson.Load(file.FullName) : null;
            var checkpoint = Checkpoint.Open(parse.GetValue(options.Checkpoint)!.FullName);
            try
            {
                if (checkpoint.TailWarning is { } warning)
                {
                    logger.TornTail(warning);
                }

                var recorded = checkpoint.State.Definition;
                var newBudget = parse.GetValue(budget) ?? given?.ObservationBudget;
                if (given is not null && DefinitionDiff.Compare(recorded, given) is { Count: > 0 } differences)
                {
                    throw new CheckpointException($"the study given differs from the one recorded in {checkpoint.Directory} in more than observation_budget:\n  {string.Join("\n  ", differences)}");
                }

                var resolved = ObjectiveChoice.Resolve(parse.GetValue(options.Objective), commandArgv, parse.GetValue(options.TrialTimeout), checkpoint.Runs.Count > 0 ? checkpoint.Runs[^1] : null);
                var choice = resolved with { StopGraceSeconds = options.Settings(parse).Grace.TotalSeconds };
                var objective = choice.Create(recorded, options.Trials(parse, recorded), logger);
                return (checkpoint, choice, objective, workers, newBudget);
            }
            catch
            {
                checkpoint.Dispose();
                throw;
            }
        }

        return command;
    }

    /// <summary>Options that run and resume share.</summary>
    private sealed class SharedOptions
    {
        public Option<DirectoryInfo> Checkpoint { get; } = new("--checkpoint") { Description = "Checkpoint directory: the study's journal (one master at a time).", Required = true };

        public Option<string?> Objective { get; } = new("--objective") { Description = $"A built-in objective instead of --command: builtin:NAME ({HpcTune.Objectives.TestFunctions.Help})." };

        public Option<int?> Workers { get; } = new("--workers") { Description = "In-process worker threads (default: the study's parallel_bandwidth)." };

        public Option<double?> TrialTimeout { get; } = new("--trial-timeout") { Description = "Seconds a trial may run; then its process tree is killed and the trial fails." };

        public Option<DirectoryInfo?> TrialRootOption { get; } = new("--trial-root") { Description = "Where {trial_dir} folders are made, in a folder of the study's own (NAME.HASH) that other studies given the same root never touch (default: CHECKPOINT.trials beside the checkpoint)." };

        public Option<double> Lease { get; } = new("--lease") { Description = "Seconds (at least 1) a worker may go unheard (workers heartbeat 4 times per lease) before its trial is interrupted and handed to another worker; a trial still open one lease past --trial-timeout is taken too.", DefaultValueFactory = _ => 60 };

        public Option<double> Grace { get; } = new("--grace") { Description = "After SIGTERM/SIGUSR1/SIGINT: seconds to wait for results in flight before journaling the rest as interrupted (a second signal stops at once). Keep it below the lead time of SLURM's --signal. Also the time a command stopped early by the study (early stopping) has between SIGTERM and SIGKILL.", DefaultValueFactory = _ => 60 };

        public void AddTo(Command command)
        {
            command.Add(Checkpoint);
            command.Add(Objective);
            command.Add(Workers);
            command.Add(TrialTimeout);
            command.Add(TrialRootOption);
            command.Add(Lease);
            command.Add(Grace);
        }

        /// <summary>The shortest lease accepted, in seconds.</summary>
        public const double MinLeaseSeconds = 1;

        public StopSettings Settings(ParseResult parse)
        {
            var lease = parse.GetValue(Lease);
            var grace = parse.GetValue(Grace);
            // Workers heartbeat 4 times per lease. Under a second, ranks on a crowded node (64 on 2 cores answer up to
            // a second late around their first trials) would lose trials they are still evaluating, and heartbeats
            // milliseconds apart would keep every worker's MPI thread awake.
            if (!double.IsFinite(lease) || lease < MinLeaseSeconds || lease > 1e6)
            {
                throw new ArgumentException($"--lease must be a number of seconds from {MinLeaseSeconds} to 1e6, got {lease}");
            }

            if (!double.IsFinite(grace) || grace < 0 || grace > 1e6)
            {
                throw new ArgumentException($"--grace must be a number of seconds from 0 to 1e6, got {grace}");
            }

            return new StopSettings(TimeSpan.FromSeconds(lease), TimeSpan.FromSeconds(grace));
        }

        public int? ValidWorkers(ParseResult parse) => parse.GetValue(Workers) is { } workers ? WorkerCount.Validate(workers) : null;

        /// <summary>
        /// Where this study's trial folders go and who owns them (the checkpoint): CHECKPOINT.trials, or a folder of the
        /// study's own inside --trial-root, which other studies may share (docs/objectives.md).
        /// </summary>
        public TrialPlace Trials(ParseResult parse, StudyDefinition definition)
        {
            var checkpoint = parse.GetValue(Checkpoint)!.FullName;
            var owner = Objectives.TrialFolders.OwnerOf(checkpoint);
            return parse.GetValue(TrialRootOption) is { } root
                ? new TrialPlace(Objectives.TrialFolders.StudyRoot(root.FullName, definition.Name, owner), owner)
                : new TrialPlace(Path.TrimEndingDirectorySeparator(checkpoint) + ".trials", owner);
        }
    }
}
