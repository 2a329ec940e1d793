using System.Diagnostics;
using System.Globalization;

namespace HpcTune.Cli.Tests;

/// <summary>Starts the real HpcTune.dll under OpenMPI's <c>mpiexec</c>, in its own process group so the whole job can be signalled.</summary>
internal static class MpiLauncher
{
    public static Process Start(string workingDirectory, int ranks, params string[] arguments) => Start(workingDirectory, ranks, null, arguments);

    /// <summary>As above, with <paramref name="environment"/> added to mpiexec's (local ranks inherit it).</summary>
    public static Process Start(string workingDirectory, int ranks, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // setsid: mpiexec leads a new process group holding every rank and objective, the unit a scheduler kills.
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])["mpiexec", "--oversubscribe", "-n", ranks.ToString(CultureInfo.InvariantCulture), "dotnet", HpcTuneProcess.DllPath, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        // CI runs as root; OpenMPI refuses that unless told twice.
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    public static Task<HpcTuneProcess.Result> RunAsync(string workingDirectory, int ranks, params string[] arguments) => RunAsync(workingDirectory, ranks, null, arguments);

    public static async Task<HpcTuneProcess.Result> RunAsync(string workingDirectory, int ranks, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var process = Start(workingDirectory, ranks, environment, arguments);
        return await HpcTuneProcess.CollectAsync(process, TimeSpan.FromMinutes(4), () => Signal(process, "KILL"));
    }

    /// <summary>
    /// Sends SIG<paramref name="name"/> to mpiexec and every process below it (ranks, objectives) at once, as a node
    /// failure would. Not by process group: OpenMPI gives each rank a group of its own, and objectives run in their
    /// own sessions.
    /// </summary>
    public static void Signal(Process job, string name) => Kill([$"-{name}", .. Tree(job.Id).Select(p => p.ToString(CultureInfo.InvariantCulture))]);

    /// <summary>The pid of rank 0 (the master) of <paramref name="job"/>, found by its environment; null until it runs.</summary>
    public static int? MasterPid(Process job)
    {
        foreach (var pid in Tree(job.Id))
        {
            try
            {
                var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
                var command = File.ReadAllText($"/proc/{pid}/cmdline");
                if (environment.Contains("OMPI_COMM_WORLD_RANK=0") && command.Contains("HpcTune.dll", StringComparison.Ordinal))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return null;
    }

    /// <summary>The first process below <paramref name="job"/> (itself included) whose command name is <paramref name="name"/>.</summary>
    public static int? Find(Process job, string name)
    {
        foreach (var pid in Tree(job.Id))
        {
            try
            {
                if (File.ReadAllText($"/proc/{pid}/comm").Trim() == name)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // Gone meanwhile.
            }
        }

        return null;
    }

    /// <summary>Sends SIG<paramref name="name"/> to one process.</summary>
    public static void SignalProcess(int pid, string name) => Kill($"-{name}", pid.ToString(CultureInfo.InvariantCulture));

    /// <summary><paramref name="root"/> and its descendants, from /proc.</summary>
    private static List<int> Tree(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // the name may contain spaces
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                    // Gone meanwhile.
                }
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    private static void Kill(params string[] arguments)
    {
        using var kill = Process.Start("/bin/kill", arguments);
        kill.WaitForExit();
    }
}
