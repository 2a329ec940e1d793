using System.Globalization;

namespace HpcTune.Bench;

/// <summary>
/// --name value pairs of a benchmark command. Names are checked against the command's own before anything runs: a
/// misspelt option (--seed for --seeds) would otherwise leave its default in force through hours of runs.
/// </summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">An option the command does not take, or one without a value.</exception>
    public static BenchArguments Parse(string[] args, params string[] known)
    {
        var parsed = new BenchArguments();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            var name = args[i][2..];
            if (!known.Contains(name))
            {
                throw new ArgumentException($"unknown option {args[i]}; this command takes {string.Join(", ", known.Select(k => "--" + k))}");
            }

            if (i + 1 == args.Length)
            {
                throw new ArgumentException($"{args[i]} needs a value");
            }

            parsed._values[name] = args[i + 1];
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The integer given for --<paramref name="name"/>, or <paramref name="fallback"/>; at least <paramref name="min"/>.</summary>
    public int Int(string name, int fallback, int min = int.MinValue) =>
        _values.TryGetValue(name, out var v) ? ParseInt(name, v, min) : fallback;

    public double Double(string name, double fallback) =>
        !_values.TryGetValue(name, out var v) ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d
        : throw new ArgumentException($"--{name}: expected a number, got '{v}'");

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public IReadOnlyList<string> List(string name, string fallback) => Text(name, fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The comma-separated integers of --<paramref name="name"/>, each at least <paramref name="min"/>; at least one.</summary>
    public IReadOnlyList<int> Ints(string name, string fallback, int min = int.MinValue)
    {
        IReadOnlyList<int> values = [.. List(name, fallback).Select(v => ParseInt(name, v, min))];
        return values.Count > 0 ? values : throw new ArgumentException($"--{name}: expected at least one integer");
    }

    private static int ParseInt(string name, string text, int min) =>
        !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? throw new ArgumentException($"--{name}: expected an integer, got '{text}'")
            : value < min ? throw new ArgumentException($"--{name}: expected at least {min}, got {value}") : value;
}
