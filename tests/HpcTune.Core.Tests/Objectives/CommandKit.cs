using HpcTune.Objectives;
using HpcTune.Space;
using HpcTune.Tests.Journal;
using HpcTune.Values;

namespace HpcTune.Tests.Objectives;

/// <summary>A temporary folder with objective scripts and a command objective over one double <c>x</c>, minimizing <c>loss</c>.</summary>
internal sealed class CommandKit : IDisposable
{
    public const string Python = "/usr/bin/python3";

    internal static readonly SearchSpace Space = new([ParameterDefinition.Double("x", 0, 1)]);

    private readonly TempDirectory _dir = new();

    public string TrialRoot => _dir.Combine("trials");

    public string Combine(params string[] parts) => _dir.Combine(parts);

    public string Script(string name, string body)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, body);
        return path;
    }

    public CommandObjective Objective(IReadOnlyList<string> argv, TimeSpan? timeout = null, string? owner = null) =>
        new(Space, "loss", new CommandObjectiveOptions(argv, TrialRoot, timeout) { TrialOwner = owner });

    public static Task<ObjectiveResult> Evaluate(CommandObjective objective, long id = 1) =>
        objective.EvaluateAsync(new TrialContext(id, Space.CreateAssignment(new Dictionary<string, Scalar> { ["x"] = 0.5 }), "w", 1), TestContext.Current.CancellationToken).AsTask();

    /// <summary>
    /// SIGKILL is delivered at once but the kernel tears the process down asynchronously; wait for that
    /// (bounded) rather than for a fixed time.
    /// </summary>
    public static bool ProcessGone(int pid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(' ')[2] == "Z")
            {
                return true;
            }

            Thread.Sleep(20);
        }

        return false;
    }

    public static int ReadPid(string file) => int.Parse(File.ReadAllText(file).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _dir.Dispose();
}
