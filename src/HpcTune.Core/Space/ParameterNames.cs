using System.Collections.Frozen;
using System.Text;
using HpcTune.Study;

namespace HpcTune.Space;

/// <summary>
/// The one place that knows which names HpcTune keeps for itself and how a parameter's name reaches a command
/// (CONTRACTS.md §2 and §6): the <c>{name}</c> placeholder and the <c>HPCTUNE_PARAM_&lt;NAME&gt;</c> variable.
/// <see cref="SearchSpace"/> refuses a study whose names would collide there, so a parameter can never
/// override a trial's own values nor lose its value to another parameter.
/// </summary>
internal static class ParameterNames
{
    /// <summary>
    /// Placeholders and <c>HPCTUNE_*</c> variables every trial of a command objective gets: its own, and those of
    /// CONTRACTS.md §6 for trials in a population (empty where a trial has no lineage).
    /// </summary>
    public static IReadOnlyList<string> TrialPlaceholders { get; } =
        ["trial_id", "trial_dir", "params_file", "checkpoint_dir", "parent_checkpoint_dir", "start_step", "end_step", "member", "generation"];

    /// <summary>Every name no parameter may take: the <see cref="TrialPlaceholders"/>.</summary>
    public static IReadOnlyList<string> Reserved => TrialPlaceholders;

    private static readonly FrozenSet<string> ReservedSet = Reserved.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The variables HpcTune sets for a trial itself: <c>HPCTUNE_</c> and a reserved name upper-cased.</summary>
    public static IReadOnlySet<string> ReservedEnvironmentVariables { get; } =
        Reserved.Select(name => "HPCTUNE_" + EnvironmentName(name)).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Prefix of every parameter's variable.</summary>
    public const string EnvironmentPrefix = "HPCTUNE_PARAM_";

    /// <summary>
    /// The name upper-cased, with anything but ASCII letters, digits and <c>_</c> as <c>_</c>: <c>a-b</c>,
    /// <c>a_b</c> and <c>A_B</c> all become <c>A_B</c>.
    /// </summary>
    public static string EnvironmentName(string parameter) =>
        string.Concat((parameter ?? "").Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? char.ToUpperInvariant(c) : '_'));

    /// <summary>The variable a command objective sets for <paramref name="parameter"/>: <c>HPCTUNE_PARAM_</c> + <see cref="EnvironmentName"/>.</summary>
    public static string EnvironmentVariable(string parameter) => EnvironmentPrefix + EnvironmentName(parameter);

    [ThreadStatic]
    private static bool t_recorded;

    /// <summary>
    /// True while a study already recorded in a journal is read (<see cref="ReadingRecordedStudy"/>): the name rules
    /// below came after such studies were written, and a checkpoint must stay readable, exportable and resumable.
    /// </summary>
    public static bool Relaxed => t_recorded;

    /// <summary>
    /// Relaxes the name rules on this thread until disposed, for decoding a journal's study record: a study defined
    /// before the rules (say with a parameter named <c>generation</c>) is what was run, and refusing it would make
    /// its results unreachable. New definitions (<c>run</c>, <c>resume --study</c>) always get the rules.
    /// </summary>
    public static RecordedStudyScope ReadingRecordedStudy() => new(t_recorded);

    /// <summary>Restores the rules when a recorded study has been read.</summary>
    public readonly struct RecordedStudyScope : IDisposable
    {
        private readonly bool _previous;

        internal RecordedStudyScope(bool previous)
        {
            _previous = previous;
            t_recorded = true;
        }

        /// <inheritdoc/>
        public void Dispose() => t_recorded = _previous;
    }

    /// <summary>Whether <paramref name="name"/> is one HpcTune keeps for itself.</summary>
    public static bool IsReserved(string name) => ReservedSet.Contains(name);

    /// <summary>
    /// Refuses text that cannot reach a program unchanged through argv or the environment: a NUL ends a C string
    /// there (<c>"a\0b"</c> arrives as <c>a</c>), and a lone UTF-16 surrogate has no UTF-8 form. Throws
    /// <see cref="DefinitionException"/> naming <paramref name="path"/>; <paramref name="what"/> says what the text is.
    /// </summary>
    public static void RequirePassableText(string text, string path, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Relaxed)
        {
            return;
        }

        if (text.IndexOf('\0', StringComparison.Ordinal) is >= 0 and var nul)
        {
            throw new DefinitionException(path,
                $"{what} holds a NUL character at index {nul}; a NUL cannot pass through a program's arguments or environment (it would cut the text there)");
        }

        var rest = text.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var used) != System.Buffers.OperationStatus.Done)
            {
                throw new DefinitionException(path,
                    $"{what} holds a lone UTF-16 surrogate at index {text.Length - rest.Length}; it is not valid Unicode and has no UTF-8 form");
            }

            rest = rest[used..];
        }
    }
}
