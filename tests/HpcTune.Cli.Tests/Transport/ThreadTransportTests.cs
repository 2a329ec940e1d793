using System.Diagnostics;
using System.Globalization;

namespace HpcTune.Cli.Tests.Transport;

/// <summary>The conformance suite for in-process worker threads (<c>HpcTune run --workers N</c>).</summary>
public sealed class ThreadTransportTests : TransportConformance
{
    protected override string FirstWorker => "thread-1";

    protected override Process Start(string directory, int workers, IReadOnlyDictionary<string, string>? environment, string[] arguments) =>
        HpcTuneProcess.Start(directory, environment, [arguments[0], "--workers", workers.ToString(CultureInfo.InvariantCulture), .. arguments[1..]]);

    protected override void RequestStop(Process job) => MpiLauncher.SignalProcess(job.Id, "USR1");

    protected override void Kill(Process job) => job.Kill(entireProcessTree: true);
}
