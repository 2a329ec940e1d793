using System.Globalization;
using Grpc.Core;
using HpcTune.Transport;

namespace HpcTune.Service.Calls;

/// <summary>
/// The worker a call names: <c>NAME</c>, or <c>NAME.SLOT</c> as the trials of a worker that holds several are recorded.
/// A caller that names none (a curl, a job-array task) gets a name of its own for that call, so two anonymous callers
/// never share a slot; a worker that wants its open trials back when it asks again names itself.
/// </summary>
internal sealed class WorkerNames
{
    private long _anonymous;

    public WorkerId Of(string name, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(name))
        {
            return WorkerId.Named(string.Create(CultureInfo.InvariantCulture, $"anonymous-{Environment.ProcessId}-{Interlocked.Increment(ref _anonymous)}"));
        }

        try
        {
            var dot = name.LastIndexOf('.');
            return dot > 0 && int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var slot)
                ? WorkerId.Named(name[..dot], slot)
                : WorkerId.Named(name);
        }
        catch (ArgumentException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"worker: {e.Message}"));
        }
    }

    /// <summary>
    /// The worker of a call about trial <paramref name="trial"/>: a worker that names itself without a slot speaks for
    /// whichever of its slots holds the trial.
    /// </summary>
    public WorkerId ForTrial(string name, Trials.Trial trial, ServerCallContext context)
    {
        var worker = Of(name, context);
        var holder = trial.Worker;
        if (worker.Slot == 0 && !string.IsNullOrEmpty(name) && holder.Length > name.Length + 1 && holder.StartsWith(name + ".", StringComparison.Ordinal)
            && int.TryParse(holder.AsSpan(name.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var slot))
        {
            return worker.WithSlot(slot);
        }

        return worker;
    }
}
