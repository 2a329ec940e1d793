using HpcTune.Trials;
using HpcTune.Values;

namespace HpcTune.Cli.Commands.Remote;

/// <summary>
/// One trial on one line for shell scripts: <c>ID name=value ...</c> (ask), or <c>ID STATE name=value ... | metric=value ...</c>
/// (trials), the failure reason after the bar for a failed one.
/// </summary>
internal static class TrialLine
{
    public static string Suggestion(long id, IEnumerable<KeyValuePair<string, Scalar>> parameters) =>
        string.Join(' ', [Id(id), .. Pairs(parameters)]);

    public static string Full(long id, TrialState state, IEnumerable<KeyValuePair<string, Scalar>> parameters, IReadOnlyDictionary<string, double>? values, string? reason)
    {
        var outcome = values is { Count: > 0 } ? string.Join(' ', values.Select(p => $"{p.Key}={Scalar.FormatNumber(p.Value)}"))
            : reason is { Length: > 0 } ? reason.ReplaceLineEndings(" ")
            : null;
        var line = string.Join(' ', [Id(id), state.ToString().ToLowerInvariant(), .. Pairs(parameters)]);
        return outcome is null ? line : $"{line} | {outcome}";
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<string> Pairs(IEnumerable<KeyValuePair<string, Scalar>> parameters) => parameters.Select(p => $"{p.Key}={p.Value}");
}
