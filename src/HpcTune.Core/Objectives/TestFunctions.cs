using System.Globalization;
using System.Text.RegularExpressions;

namespace HpcTune.Objectives;

/// <summary>Looks up built-in test functions by name: <c>branin[D]</c>, <c>hartmann6</c>, <c>ackley[D]</c>, <c>rosenbrock[D]</c>, <c>levy[D]</c>, <c>rastrigin[D]</c>, <c>styblinskitang[D]</c>.</summary>
public static partial class TestFunctions
{
    /// <summary>The names accepted by <see cref="Get"/>, for help texts.</summary>
    public const string Help = "branin, hartmann6, ackleyD (default D=10), rosenbrockD (default D=4), braninD (Branin in the first 2 of D inputs), levyD (default D=8), rastriginD (default D=8), styblinskitangD (default D=10)";

    /// <summary>The function named <paramref name="name"/>; <see cref="ArgumentException"/> listing the choices otherwise.</summary>
    public static TestFunction Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var match = NamePattern().Match(name.Trim().ToLowerInvariant());
        if (match.Success)
        {
            var family = match.Groups["family"].Value;
            int? dimension = match.Groups["d"].Success && int.TryParse(match.Groups["d"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
            TestFunction? function = (family, dimension) switch
            {
                ("branin", null) => new Branin(),
                ("branin", >= 2 and <= 1000) => new Branin(dimension.Value),
                ("hartmann", 6) => new Hartmann6(),
                ("ackley", null) => new Ackley(10),
                ("ackley", >= 1 and <= 1000) => new Ackley(dimension.Value),
                ("rosenbrock", null) => new Rosenbrock(4),
                ("rosenbrock", >= 2 and <= 1000) => new Rosenbrock(dimension.Value),
                ("levy", null) => new Levy(8),
                ("levy", >= 2 and <= 1000) => new Levy(dimension.Value),
                ("rastrigin", null) => new Rastrigin(8),
                ("rastrigin", >= 1 and <= 1000) => new Rastrigin(dimension.Value),
                ("styblinskitang", null) => new StyblinskiTang(10),
                ("styblinskitang", >= 1 and <= 1000) => new StyblinskiTang(dimension.Value),
                _ => null,
            };
            if (function is not null)
            {
                return function;
            }
        }

        throw new ArgumentException($"unknown built-in objective '{name}'; expected one of {Help}");
    }

    [GeneratedRegex("^(?<family>[a-z]+?)(?<d>[0-9]+)?$")]
    private static partial Regex NamePattern();
}
