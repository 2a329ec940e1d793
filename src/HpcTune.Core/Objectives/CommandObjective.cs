using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcTune.Space;
using HpcTune.Values;
using Microsoft.Extensions.Logging;

namespace HpcTune.Objectives;

/// <summary>How a <see cref="CommandObjective"/> runs its program.</summary>
/// <param name="Argv">The argv template; element 0 is the program.</param>
/// <param name="TrialRoot">Where each trial's <c>{trial_dir}</c> is made.</param>
/// <param name="Timeout">Per-trial limit; past it the whole process tree is killed and the trial fails.</param>
/// <param name="StderrTailLines">How many last lines of standard error a failure records.</param>
public sealed record CommandObjectiveOptions(IReadOnlyList<string> Argv, string TrialRoot, TimeSpan? Timeout = null, int StderrTailLines = 20)
{
    /// <summary>The default <see cref="StopGrace"/>: the command line's <c>--grace</c> default.</summary>
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a program the study stopped early (its report was answered stop) has between SIGTERM and SIGKILL
    /// (the command line's <c>--grace</c>).
    /// </summary>
    public TimeSpan StopGrace { get; init; } = DefaultStopGrace;

    /// <summary>Where skipped report lines and early stops are logged; null: nowhere.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>
    /// Who owns the trial folders this objective makes, written in each (<see cref="TrialFolders.OwnerFileName"/>):
    /// a folder is only deleted by its owner. The command line gives the checkpoint's path; default: the trial root's.
    /// </summary>
    public string? TrialOwner { get; init; }
}

/// <summary>
/// Evaluates a trial by running a program with no shell (CONTRACTS.md §2): placeholders in argv, <c>HPCTUNE_*</c>
/// environment variables and a params file in; the last non-empty stdout line or <c>result.json</c> out.
/// A non-zero exit, a missing or unreadable result, or a timeout is a failed trial with the reason and stderr's tail.
/// The trial ends when the program exits: whatever it left running is killed. Output is read through bounded tails
/// (docs/objectives.md).
/// </summary>
public sealed class CommandObjective : IObjective
{
    private readonly CommandTemplate _template;
    private readonly CommandObjectiveOptions _options;
    private readonly string _objectiveMetric;
    private readonly string _owner;
    private readonly IReadOnlyList<string> _names;

    /// <summary>Validates the template against <paramref name="space"/> and checks that the program can be found.</summary>
    public CommandObjective(SearchSpace space, string objectiveMetric, CommandObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _template = new CommandTemplate(options.Argv, space);
        _names = space.Names;
        _options = options with { TrialRoot = Path.GetFullPath(options.TrialRoot) };
        _objectiveMetric = objectiveMetric;
        _owner = options.TrialOwner ?? TrialFolders.CanonicalPath(_options.TrialRoot);
        if (ResolveProgram(options.Argv[0]) is null)
        {
            throw new ArgumentException($"--command: program '{options.Argv[0]}' not found (give a path, or a name on PATH)");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (TrialFolders.Prepare(_options.TrialRoot, trial.TrialId, _owner, out var folderProblem) is not { } trialDir)
        {
            return ObjectiveResult.Failure(folderProblem!);
        }

        var paramsFile = Path.Combine(trialDir, "params.json");
        // Written synchronously: a few hundred bytes, and a rank's first asynchronous file write cost ~5 ms more than
        // this (2 ranks, `sh -c 'echo 1'`: first trial 18–19 ms instead of 24–25 ms to the objective's exit), paid by
        // every rank of a job at once on its first trial.
        File.WriteAllText(paramsFile, ParamsJson(trial.Assignment));
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trial_id"] = trial.TrialId.ToString(CultureInfo.InvariantCulture),
            ["trial_dir"] = trialDir,
            ["params_file"] = paramsFile,
        };
        foreach (var (name, value) in trial.Assignment)
        {
            values[name] = value.ToString();
        }

        foreach (var name in _names)
        {
            values.TryAdd(name, ""); // an inactive parameter of a conditional space: its placeholder expands to nothing
        }

        foreach (var (name, value) in LineageValues(trial))
        {
            values[name] = value;
        }

        var expanded = _template.Expand(values);
        var start = new ProcessStartInfo(SessionLauncher ?? expanded[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in SessionLauncher is null ? expanded.Skip(1) : expanded)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["HPCTUNE_TRIAL_ID"] = values["trial_id"];
        start.Environment["HPCTUNE_TRIAL_DIR"] = trialDir;
        start.Environment["HPCTUNE_PARAMS_FILE"] = paramsFile;
        start.Environment["HPCTUNE_WORKER"] = trial.Worker; // e.g. to pick a GPU per slot: rank-3.1, thread-2
        start.Environment["HPCTUNE_TRIAL_ATTEMPT"] = trial.Attempt.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in trial.Assignment)
        {
            start.Environment[ParameterNames.EnvironmentVariable(name)] = value.ToString();
        }

        foreach (var (name, value) in LineageValues(trial))
        {
            start.Environment["HPCTUNE_" + ParameterNames.EnvironmentName(name)] = value;
        }

        return await RunAsync(start, trialDir, trial, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The placeholders of a trial in a population (CONTRACTS.md §6), from its context: empty where the trial has no
    /// such value (a study without lineage, the parent's directory in generation 0), as an inactive parameter's.
    /// </summary>
    private static IEnumerable<(string Name, string Value)> LineageValues(TrialContext trial)
    {
        var lineage = trial.Lineage;
        yield return ("checkpoint_dir", trial.CheckpointDirectory ?? "");
        yield return ("parent_checkpoint_dir", trial.ParentCheckpointDirectory ?? "");
        yield return ("start_step", Number(lineage?.StartStep));
        yield return ("end_step", Number(lineage?.EndStep));
        yield return ("member", Number(lineage?.Member));
        yield return ("generation", Number(lineage?.Generation));

        static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";
    }

    private async Task<ObjectiveResult> RunAsync(ProcessStartInfo start, string trialDir, TrialContext trial, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return ObjectiveResult.Failure($"cannot start '{(SessionLauncher is null ? start.FileName : start.ArgumentList[0])}': {e.Message}");
        }

        process.StandardInput.Close();
        var pipes = ProcessTreeEnd.PipeNames(process);
        var stdout = new LastLine();
        var stderr = new LineTail(_options.StderrTailLines);
        var reports = new CommandReports(trial, _options.Logger);
        using var stopReading = new CancellationTokenSource();
        var pumps = Task.WhenAll(
            new OutputLines(TrialFolders.MaxResultBytes, line =>
            {
                if (!reports.Take(line))
                {
                    stdout.Add(line); // a report line is never the result
                }
            }, _ => reports.SendAsync(cancellationToken)).PumpAsync(process.StandardOutput.BaseStream, stopReading.Token),
            new OutputLines(4 * LineTail.MaxChars, stderr.Add).PumpAsync(process.StandardError.BaseStream, stopReading.Token));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        var ending = await WaitForEndAsync(process, reports, cancellationToken, limit.Token).ConfigureAwait(false);
        switch (ending)
        {
            case Ending.Stopped:
                var how = await TerminateAsync(process).ConfigureAwait(false);
                await EndTreeAsync(process.Id, pipes, pumps, stopReading).ConfigureAwait(false);
                return StoppedEarly(trial, reports, how, stderr, clock);
            case Ending.TimedOut or Ending.Cancelled:
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                break;
        }

        // The trial ends here: what the objective left running goes, then the readers take what is buffered.
        await EndTreeAsync(process.Id, pipes, pumps, stopReading).ConfigureAwait(false);
        reports.Summarize();
        if (ending == Ending.Cancelled)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }

        if (ending == Ending.TimedOut)
        {
            return Failed($"timed out after {_options.Timeout!.Value.TotalSeconds:G4} s; the process tree was killed", null, stderr, clock);
        }

        if (reports.Stop is not null)
        {
            // The program exited on its own while its last report's answer, stop, was on the way: the trial is pruned.
            return StoppedEarly(trial, reports, "it had already exited", stderr, clock);
        }

        if (process.ExitCode != 0)
        {
            return Failed($"exit code {process.ExitCode}", process.ExitCode, stderr, clock);
        }

        string text, source;
        if (TrialFolders.ReadResult(trialDir, out var fileProblem) is { } fileText)
        {
            (text, source) = (fileText, "result.json");
        }
        else if (fileProblem is not null)
        {
            return Failed(fileProblem, 0, stderr, clock);
        }
        else if (stdout.Line is { Cut: true } tooLong)
        {
            return Failed($"the last line of standard output is {tooLong.Bytes} bytes, longer than the {TrialFolders.MaxResultBytes >> 20} MiB cap on a result line", 0, stderr, clock);
        }
        else
        {
            (text, source) = (stdout.Line?.Text ?? "", "the last line of standard output");
        }

        var parsed = CommandResultParser.Parse(text, _objectiveMetric, source, out var metadata, out var problem);
        if (parsed is null)
        {
            return Failed(problem!, 0, stderr, clock);
        }

        if (parsed.FirstOrDefault(v => !double.IsFinite(v.Value)) is { Key: not null } bad)
        {
            return Failed($"metric '{bad.Key}' is {Scalar.FormatNumber(bad.Value)} in {source}", 0, stderr, clock);
        }

        metadata["duration_s"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        if (reports.Skipped > 0)
        {
            metadata["report_lines_skipped"] = reports.Skipped;
        }

        return ObjectiveResult.Success(parsed, metadata);
    }

    /// <summary>How the wait for a program ended.</summary>
    private enum Ending
    {
        Exited,
        TimedOut,
        Cancelled,
        Stopped,
    }

    /// <summary>How long a cancelled trial waits for the answer to a report on its way before it is taken as cancelled for another reason.</summary>
    private static readonly TimeSpan AnswerPatience = TimeSpan.FromSeconds(5);

    private static async Task<Ending> WaitForEndAsync(Process process, CommandReports reports, CancellationToken cancellationToken, CancellationToken limit)
    {
        var exit = process.WaitForExitAsync(limit);
        if (await Task.WhenAny(exit, reports.Stopped).ConfigureAwait(false) != exit)
        {
            return Ending.Stopped;
        }

        try
        {
            await exit.ConfigureAwait(false);
            return Ending.Exited;
        }
        catch (OperationCanceledException)
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                return Ending.TimedOut;
            }

            // An in-process worker cancels the trial's token as it answers stop, before the answer reaches us.
            await reports.SettleAsync(AnswerPatience).ConfigureAwait(false);
            return reports.Stop is not null ? Ending.Stopped : Ending.Cancelled;
        }
    }

    /// <summary>
    /// Ends a program the study stopped: SIGTERM to its process group (its whole tree, under <c>setsid</c>), then,
    /// if it is still there after <see cref="CommandObjectiveOptions.StopGrace"/>, SIGKILL to the tree as for a
    /// timeout. Says how it ended.
    /// </summary>
    private async Task<string> TerminateAsync(Process process)
    {
        ProcessTreeEnd.Terminate(process.Id, group: SessionLauncher is not null);
        using var registration = ProcessTreeEnd.Track(process.Id, group: SessionLauncher is not null);
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(_options.StopGrace).ConfigureAwait(false);
            return "it ended after SIGTERM";
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return $"it ignored SIGTERM for the {_options.StopGrace.TotalSeconds:G4} s grace period and was killed (SIGKILL)";
        }
    }

    private ObjectiveResult StoppedEarly(TrialContext trial, CommandReports reports, string how, LineTail stderr, Stopwatch clock)
    {
        reports.Summarize();
        var reason = reports.Stop?.Reason ?? "stopped early";
        if (_options.Logger is { } logger && logger.IsEnabled(LogLevel.Information))
        {
            logger.CommandStopped(trial.TrialId, reason, how);
        }

        // Not recorded: the trial is already Pruned with its last report's values (ResultAnswer.Pruned).
        return Failed($"stopped early ({reason}); {how}", null, stderr, clock);
    }

    /// <summary>How long the readers may take to reach the end of the pipes before their holders are looked for.</summary>
    private static readonly TimeSpan PipeEndPatience = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait for the readers once every holder of the pipes was killed; then they stop where they are.</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kills the objective's process group and, where the pipes stay open, every process still holding them; then
    /// waits for the readers to take what is buffered (bounded: a holder that cannot be killed does not hang the trial).
    /// </summary>
    private static async Task EndTreeAsync(int objectivePid, IReadOnlyList<string> pipes, Task pumps, CancellationTokenSource stopReading)
    {
        if (SessionLauncher is not null)
        {
            ProcessTreeEnd.KillGroup(objectivePid); // setsid made the objective the leader of a group of its own
        }

        if (await Finished(pumps, PipeEndPatience).ConfigureAwait(false))
        {
            return;
        }

        ProcessTreeEnd.KillPipeHolders(pipes);
        if (!await Finished(pumps, DrainLimit).ConfigureAwait(false))
        {
            // Stop the readers and go on with what they read; a read that ignores the stop ends when the process's
            // streams are closed on the way out.
            await stopReading.CancelAsync().ConfigureAwait(false);
            _ = await Finished(pumps, PipeEndPatience).ConfigureAwait(false);
        }
    }

    private static async Task<bool> Finished(Task task, TimeSpan patience)
    {
        try
        {
            await task.WaitAsync(patience).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static ObjectiveResult Failed(string reason, int? exitCode, LineTail stderr, Stopwatch clock)
    {
        var metadata = new Dictionary<string, Scalar>(StringComparer.Ordinal) { ["duration_s"] = Math.Round(clock.Elapsed.TotalSeconds, 3) };
        if (exitCode is { } code)
        {
            metadata["exit_code"] = code;
        }

        var tail = stderr.Text;
        if (tail.Length > 0)
        {
            metadata["stderr_tail"] = tail;
            reason = $"{reason}; stderr: {tail}";
        }

        return ObjectiveResult.Failure(reason, metadata);
    }

    private static string ParamsJson(Assignment assignment)
    {
        using var stream = new MemoryStream();
        // Relaxed escaping: the file is read by programs, not embedded in HTML, so '"' stays '\"' and non-ASCII stays as is.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in assignment)
            {
                Study.StudyDefinitionJson.WriteScalar(writer, name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>HPCTUNE_PARAM_ + the name upper-cased, with anything but letters, digits and _ as _.</summary>
    public static string EnvironmentName(string parameter) => ParameterNames.EnvironmentName(parameter);

    /// <summary>
    /// <c>setsid</c>, which runs the objective in a session of its own (it execs, so the pid stays the objective's).
    /// Signals meant for HpcTune — Ctrl-C at a terminal, the SIGUSR1/SIGTERM that mpiexec forwards to each rank's
    /// process group — must not kill a running trial: the master decides whether it finishes within the grace period
    /// or is abandoned (then its whole process tree is killed). Null where util-linux is missing: run directly.
    /// </summary>
    private static readonly string? SessionLauncher = ResolveProgram("setsid");

    private static string? ResolveProgram(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(program) ? program : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
    }

    /// <summary>The last non-blank line a stream printed (its first bytes only, where it was over the cap).</summary>
    private sealed class LastLine
    {
        private readonly Lock _lock = new();
        private OutputLine? _line;

        public OutputLine? Line
        {
            get
            {
                lock (_lock)
                {
                    return _line;
                }
            }
        }

        public void Add(OutputLine line)
        {
            if (!line.Blank)
            {
                lock (_lock)
                {
                    _line = line;
                }
            }
        }
    }

    /// <summary>Keeps the last lines a stream printed, each clipped to <see cref="MaxChars"/> characters.</summary>
    private sealed class LineTail(int lines)
    {
        public const int MaxChars = 500;

        private readonly Queue<string> _lines = new();

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join("\n", _lines);
                }
            }
        }

        public void Add(OutputLine line)
        {
            if (line.Blank)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line.Text.Length > MaxChars ? line.Text[..MaxChars] : line.Text);
                if (_lines.Count > lines)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
