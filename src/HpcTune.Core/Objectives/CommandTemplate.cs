using System.Text.RegularExpressions;
using HpcTune.Space;

namespace HpcTune.Objectives;

/// <summary>
/// An argv with <c>{name}</c> placeholders (CONTRACTS.md §2). Each element stays one argument whatever the
/// values hold — there is no shell — so <c>"; rm -rf ~"</c> reaches the program as those literal characters.
/// </summary>
internal sealed partial class CommandTemplate
{
    /// <summary>Placeholders defined for every trial besides the parameters.</summary>
    public static IReadOnlyList<string> TrialPlaceholders => ParameterNames.TrialPlaceholders;

    private readonly string[] _argv;

    /// <summary>Checks that <paramref name="argv"/> is non-empty and names only known placeholders.</summary>
    public CommandTemplate(IReadOnlyList<string> argv, SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentNullException.ThrowIfNull(space);
        if (argv.Count == 0 || string.IsNullOrWhiteSpace(argv[0]))
        {
            throw new ArgumentException("--command needs a program to run, e.g. --command /usr/bin/python3 train.py --lr {lr}");
        }

        var known = space.Names.Concat(TrialPlaceholders).ToHashSet(StringComparer.Ordinal);
        foreach (var argument in argv)
        {
            foreach (Match match in Placeholder().Matches(argument))
            {
                var name = match.Groups[1].Value;
                if (!known.Contains(name) && IdentifierLike().IsMatch(name))
                {
                    throw new ArgumentException($"--command: unknown placeholder {{{name}}} in '{argument}'; the placeholders are {string.Join(", ", known.Select(k => $"{{{k}}}"))}");
                }
            }
        }

        _argv = [.. argv];
    }

    /// <summary>The template as given.</summary>
    public IReadOnlyList<string> Arguments => _argv;

    /// <summary>The argv for one trial: every known placeholder replaced by its value.</summary>
    public IReadOnlyList<string> Expand(IReadOnlyDictionary<string, string> values) =>
        [.. _argv.Select(argument => Placeholder().Replace(argument, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value))];

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex IdentifierLike();
}
