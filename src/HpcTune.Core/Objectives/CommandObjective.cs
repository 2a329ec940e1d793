using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HpcTune.Space;
using HpcTune.Values;

namespace HpcTune.Objectives;

/// <summary>How a <see cref="CommandObjective"/> runs its program.</summary>
/// <param name="Argv">The argv template; element 0 is the program.</param>
/// <param name="TrialRoot">Where each trial's <c>{trial_dir}</c> is made.</param>
/// <param name="Timeout">Per-trial limit; past it the whole process tree is killed and the trial fails.</param>
/// <param name="StderrTailLines">How many last lines of standard error a failure records.</param>
public sealed record CommandObjectiveOptions(IReadOnlyList<string> Argv, string TrialRoot, TimeSpan? Timeout = null, int StderrTailLines = 20);

/// <summary>
/// Evaluates a trial by running a program with no shell (CONTRACTS.md §2): placeholders in argv, <c>HPCTUNE_*</c>
/// environment variables and a params file in; the last non-empty stdout line or <c>result.json</c> out.
/// A non-zero exit, a missing or unreadable result, or a timeout is a failed trial with the reason and stderr's tail.
/// </summary>
public sealed class CommandObjective : IObjective
{
    private readonly CommandTemplate _template;
    private readonly CommandObjectiveOptions _options;
    private readonly string _objectiveMetric;

    /// <summary>Validates the template against <paramref name="space"/> and checks that the program can be found.</summary>
    public CommandObjective(SearchSpace space, string objectiveMetric, CommandObjectiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _template = new CommandTemplate(options.Argv, space);
        _options = options with { TrialRoot = Path.GetFullPath(options.TrialRoot) };
        _objectiveMetric = objectiveMetric;
        if (ResolveProgram(options.Argv[0]) is null)
        {
            throw new ArgumentException($"--command: program '{options.Argv[0]}' not found (give a path, or a name on PATH)");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ObjectiveResult> EvaluateAsync(TrialContext trial, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var trialDir = Path.Combine(_options.TrialRoot, $"trial-{trial.TrialId}");
        if (Directory.Exists(trialDir))
        {
            Directory.Delete(trialDir, recursive: true); // a re-issued trial starts clean: no stale result.json
        }

        Directory.CreateDirectory(trialDir);
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
        foreach (var (name, value) in trial.Assignment)
        {
            start.Environment[$"HPCTUNE_PARAM_{EnvironmentName(name)}"] = value.ToString();
        }

        return await RunAsync(start, trialDir, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ObjectiveResult> RunAsync(ProcessStartInfo start, string trialDir, CancellationToken cancellationToken)
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
        var stdout = new LineTail(1);
        var stderr = new LineTail(_options.StderrTailLines);
        var pumps = Task.WhenAll(stdout.PumpAsync(process.StandardOutput), stderr.PumpAsync(process.StandardError));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Timeout is { } timeout)
        {
            limit.CancelAfter(timeout);
        }

        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            await pumps.WaitAsync(limit.Token).ConfigureAwait(false); // a backgrounded grandchild may hold the pipes open
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            return Failed($"timed out after {_options.Timeout!.Value.TotalSeconds:G4} s; the process tree was killed", null, stderr, clock);
        }

        if (process.ExitCode != 0)
        {
            return Failed($"exit code {process.ExitCode}", process.ExitCode, stderr, clock);
        }

        var resultFile = Path.Combine(trialDir, "result.json");
        var (text, source) = File.Exists(resultFile)
            ? (await File.ReadAllTextAsync(resultFile, CancellationToken.None).ConfigureAwait(false), "result.json")
            : (stdout.LastLine ?? "", "the last line of standard output");
        var parsed = CommandResultParser.Parse(text, _objectiveMetric, source, out var problem);
        if (parsed is null)
        {
            return Failed(problem!, 0, stderr, clock);
        }

        if (parsed.FirstOrDefault(v => !double.IsFinite(v.Value)) is { Key: not null } bad)
        {
            return Failed($"metric '{bad.Key}' is {Scalar.FormatNumber(bad.Value)} in {source}", 0, stderr, clock);
        }

        return ObjectiveResult.Success(parsed, new Dictionary<string, Scalar> { ["duration_s"] = Math.Round(clock.Elapsed.TotalSeconds, 3) });
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

    /// <summary>Keeps the last lines a stream printed.</summary>
    private sealed class LineTail(int lines)
    {
        private readonly Queue<string> _lines = new();

        public string? LastLine { get; private set; }

        public string Text => string.Join("\n", _lines);

        public async Task PumpAsync(StreamReader reader)
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                LastLine = line;
                _lines.Enqueue(line.Length > 500 ? line[..500] : line);
                if (_lines.Count > lines)
                {
                    _lines.Dequeue();
                }
            }
        }
    }
}
