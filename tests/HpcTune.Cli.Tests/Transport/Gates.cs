using System.Globalization;

namespace HpcTune.Cli.Tests.Transport;

/// <summary>
/// An objective steered by files in a folder: the first trial <paramref name="lateWorker"/> evaluates waits for
/// <c>late.go</c> (then fails if <c>late.fail</c> exists, else returns 1); the first time another worker evaluates
/// that trial again it marks <c>again.started</c> and waits for <c>again.go</c> (then returns 2); every other
/// evaluation returns 0.5 at once.
/// </summary>
internal sealed class Gates
{
    private readonly string _folder;

    public Gates(Workspace workspace, string lateWorker)
    {
        _folder = workspace.Combine("gates");
        Directory.CreateDirectory(_folder);
        Script = workspace.Write("gates.py", $$"""
            import os, sys, time
            folder, worker = "{{_folder}}", os.environ["HPCTUNE_WORKER"]
            trial, attempt = os.environ["HPCTUNE_TRIAL_ID"], int(os.environ["HPCTUNE_TRIAL_ATTEMPT"])
            path = lambda name: os.path.join(folder, name)
            def claim(name):
                try:
                    os.close(os.open(path(name), os.O_CREAT | os.O_EXCL | os.O_WRONLY))
                    return True
                except FileExistsError:
                    return False
            def mark(name, text=""):
                with open(path(name) + ".tmp", "w") as f:
                    f.write(text)
                os.rename(path(name) + ".tmp", path(name))
            def wait(name):
                while not os.path.exists(path(name)):
                    time.sleep(0.02)
            if worker == "{{lateWorker}}" and claim("late.claim"):
                mark("late.trial", trial)
                wait("late.go")
                if os.path.exists(path("late.fail")):
                    sys.exit("the late attempt failed")
                print(1.0)
            elif attempt >= 2 and os.path.exists(path("late.trial")) and open(path("late.trial")).read() == trial and claim("again.claim"):
                mark("again.started")
                wait("again.go")
                print(2.0)
            else:
                print(0.5)
            """);
    }

    /// <summary>The objective script.</summary>
    public string Script { get; }

    /// <summary>The trial the late worker held.</summary>
    public long LateTrial => long.Parse(File.ReadAllText(Path.Combine(_folder, "late.trial")), CultureInfo.InvariantCulture);

    /// <summary>Creates the file <paramref name="name"/>.</summary>
    public void Open(string name) => File.WriteAllText(Path.Combine(_folder, name), "");

    /// <summary>Waits until the objective has created <paramref name="name"/>.</summary>
    public async Task WaitAsync(string name, CancellationToken cancellation)
    {
        var path = Path.Combine(_folder, name);
        while (!File.Exists(path))
        {
            await Task.Delay(20, cancellation); // polling a file the objective writes, not a guess at how long it takes
        }
    }
}
