using System.Diagnostics;
using System.Globalization;
using HpcTune.Objectives;

namespace HpcTune.Tests.Objectives;

/// <summary>
/// The rugged functions of docs/gp-rugged.md against their Python definitions in bench/peers/rugged.py, which the
/// CMA-ES driver evaluates (Debian's /usr/bin/python3 runs it): both sides of that comparison must be one function.
/// </summary>
public class RuggedFunctionTests
{
    private const string Python = "/usr/bin/python3";

    public static TheoryData<string, string> Points => new()
    {
        { "levy8", "0.3,-7.25,9.9,1,-1,4.4,-3.3,2.2" },
        { "levy8", "-10,10,-10,10,-10,10,-10,10" },
        { "rastrigin8", "0.5,-0.49,5.12,-5.12,1.01,2.3,-3.7,0.01" },
        { "styblinskitang10", "-2.9,2.75,0,5,-5,1.5,-1.5,3.3,-4.1,0.2" },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void Python_and_csharp_give_the_same_value(string name, string point)
    {
        var f = TestFunctions.Get(name);
        double[] x = [.. point.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
        var family = name.TrimEnd("0123456789".ToCharArray());
        var python = double.Parse(RunPython([Path.Combine(RepositoryRoot(), "bench", "peers", "rugged.py"), family, .. x.Select(v => v.ToString("R", CultureInfo.InvariantCulture))]), CultureInfo.InvariantCulture);
        Assert.Equal(python, f.Evaluate(x), 1e-9 * Math.Max(1, Math.Abs(python)));
        Assert.True(f.Evaluate(x) > f.Minimum + 1, $"{name} at {point} should be far from its minimum");
    }

    [Fact]
    public void Styblinski_tang_has_a_shallow_basin_per_coordinate()
    {
        var f = new StyblinskiTang(2);
        double[] deep = [StyblinskiTang.MinimizingCoordinate, StyblinskiTang.MinimizingCoordinate];
        double[] shallow = [StyblinskiTang.MinimizingCoordinate, 2.7468];
        Assert.Equal(f.Minimum, f.Evaluate(deep), 9);
        // A local minimum: worse than the deep basin by about 14, and a small step either way only gets worse.
        Assert.InRange(f.Evaluate(shallow) - f.Minimum, 13, 15);
        Assert.True(f.Evaluate([shallow[0], shallow[1] + 0.05]) > f.Evaluate(shallow));
        Assert.True(f.Evaluate([shallow[0], shallow[1] - 0.05]) > f.Evaluate(shallow));
    }

    private static string RunPython(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output.Trim();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HpcTune.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no HpcTune.sln above {AppContext.BaseDirectory}");
    }
}
