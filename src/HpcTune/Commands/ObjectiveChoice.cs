using System.Text.Json;
using System.Text.Json.Serialization;
using HpcTune.Journal;
using HpcTune.Objectives;
using HpcTune.Study;

namespace HpcTune.Cli.Commands;

/// <summary>Which objective a run evaluates: a built-in function or a command, as given or as recorded.</summary>
internal sealed record ObjectiveChoice(string? Builtin, IReadOnlyList<string>? Command, double? TrialTimeoutSeconds)
{
    public const string BuiltinPrefix = "builtin:";

    /// <summary>The longest trial timeout: CancellationTokenSource.CancelAfter takes at most 2^32 − 2 ms (49.7 days).</summary>
    private const double MaxTrialTimeoutSeconds = 4_294_967;

    /// <summary>The choice from the command line; with <paramref name="recorded"/> as the fallback (resume).</summary>
    public static ObjectiveChoice Resolve(string? objectiveOption, IReadOnlyList<string>? commandArgv, double? trialTimeout, RunInfo? recorded)
    {
        if (objectiveOption is not null && commandArgv is not null)
        {
            throw new ArgumentException("give either --objective builtin:NAME or --command ARGV..., not both");
        }

        if (trialTimeout is not (null or > 0 and <= MaxTrialTimeoutSeconds)) // NaN fails every comparison, so it lands here too
        {
            throw new ArgumentException($"--trial-timeout must be a positive number of seconds, at most {MaxTrialTimeoutSeconds} (49 days), got {trialTimeout}");
        }

        if (commandArgv is not null)
        {
            return new ObjectiveChoice(null, commandArgv, trialTimeout);
        }

        if (objectiveOption is not null)
        {
            if (!objectiveOption.StartsWith(BuiltinPrefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"--objective must be builtin:NAME ({TestFunctions.Help}), got '{objectiveOption}'; for a program use --command");
            }

            return new ObjectiveChoice(objectiveOption[BuiltinPrefix.Length..], null, trialTimeout);
        }

        if (recorded is not null)
        {
            return recorded.Objective.StartsWith(BuiltinPrefix, StringComparison.Ordinal)
                ? new ObjectiveChoice(recorded.Objective[BuiltinPrefix.Length..], null, trialTimeout ?? recorded.TrialTimeoutSeconds)
                : new ObjectiveChoice(null, recorded.Command, trialTimeout ?? recorded.TrialTimeoutSeconds);
        }

        throw new ArgumentException("no objective: give --objective builtin:NAME or --command ARGV... (last)");
    }

    /// <summary>
    /// Seconds a command the study stopped early (CONTRACTS.md §6) has between SIGTERM and SIGKILL: the command line's
    /// <c>--grace</c>, the same period a stopping run gives results in flight.
    /// </summary>
    public double StopGraceSeconds { get; init; } = CommandObjectiveOptions.DefaultStopGrace.TotalSeconds;

    public string Describe => Builtin is not null ? BuiltinPrefix + Builtin : "command";

    /// <summary>This choice and the trial folders as JSON, for the MPI welcome message.</summary>
    public string ToJson(TrialPlace trials) => JsonSerializer.Serialize(new WireForm(Builtin, Command, TrialTimeoutSeconds, trials.Root, trials.Owner, StopGraceSeconds), WireFormJson.Default.WireForm);

    /// <summary>The choice and trial folders back from <see cref="ToJson"/>.</summary>
    public static (ObjectiveChoice Choice, TrialPlace Trials) FromJson(string json)
    {
        var form = JsonSerializer.Deserialize(json, WireFormJson.Default.WireForm) ?? throw new FormatException("empty objective");
        return (new ObjectiveChoice(form.Builtin, form.Command, form.TrialTimeout) { StopGraceSeconds = form.StopGrace }, new TrialPlace(form.TrialRoot, form.TrialOwner));
    }

    internal sealed record WireForm(string? Builtin, IReadOnlyList<string>? Command, double? TrialTimeout, string TrialRoot, string TrialOwner, double StopGrace);

    /// <summary>The objective for <paramref name="definition"/>; every mismatch is an <see cref="ArgumentException"/> before anything runs.</summary>
    public IObjective Create(StudyDefinition definition, TrialPlace trials, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        if (Builtin is not null)
        {
            var function = TestFunctions.Get(Builtin);
            var expected = Enumerable.Range(1, function.Dimension).Select(i => $"x{i}").ToList();
            if (!definition.Space.Names.SequenceEqual(expected) || definition.Space.Parameters.Any(p => p.Type == Space.ParameterType.Categorical))
            {
                throw new ArgumentException($"builtin:{function.Name} needs the numeric parameters {string.Join(", ", expected)}; the study has {string.Join(", ", definition.Space.Names)}");
            }

            if (!definition.Metrics.Any(m => m.Name == TestFunction.MetricName))
            {
                throw new ArgumentException($"builtin:{function.Name} reports the metric '{TestFunction.MetricName}'; the study has no metric of that name");
            }

            return function;
        }

        for (var path = trials.Root; path is not null; path = Path.GetDirectoryName(path))
        {
            if (File.Exists(path))
            {
                // Caught here, not when every trial fails to make its folder and the study ends broken.
                throw new ArgumentException($"the trial folder root {path} is a file; give --trial-root a directory (default: CHECKPOINT.trials)");
            }
        }

        var timeout = TrialTimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
        return new CommandObjective(definition.Space, definition.Objective.Name, new CommandObjectiveOptions(Command!, trials.Root, timeout)
        {
            TrialOwner = trials.Owner,
            StopGrace = TimeSpan.FromSeconds(StopGraceSeconds),
            Logger = logger,
        });
    }
}

/// <summary>
/// The wire form's serializer, generated at build time: the reflection-based one emits IL at its first use, and every
/// MPI worker rank paid that (with the JIT compilation of the IL) before its first trial: 64–80 ms of first-trial
/// handoff instead of 87–93 ms with 2 workers, side by side (bench/side-by-side.sh; docs/mpi.md).
/// </summary>
[JsonSerializable(typeof(ObjectiveChoice.WireForm))]
internal sealed partial class WireFormJson : JsonSerializerContext;
