using HpcTune.Service.Protocol;
using HpcTune.Service.Studies;
using HpcTune.Transport;
using HpcTune.Tuning;

namespace HpcTune.Service.Calls;

/// <summary>
/// One suggest call: the worker's slots ask the hub together (one sampler batch for a burst); when none can be given
/// a trial yet the call waits for the next change of the study (a long poll, no busy loop) until its time is up.
/// Trials are handed out only once the journal holds them, so a server killed right after answering still knows them.
/// </summary>
internal sealed class SuggestCall(StudyHost host, IReadOnlyList<WorkerId> slots)
{
    public async Task<SuggestResponse> RunAsync(TimeSpan wait, CancellationToken cancellation)
    {
        var deadline = host.Tuner.Time.GetUtcNow() + wait;
        while (true)
        {
            var changed = host.Hub.WaitForChangeAsync(); // taken before asking: a change in between is not missed
            var outcomes = host.Hub.Request(slots);
            var issued = outcomes.Where(o => o.Status == SuggestStatus.Issued).Select(o => o.Trial!).ToList();
            if (issued.Count > 0)
            {
                await host.DurableAsync().ConfigureAwait(false);
                var response = new SuggestResponse { Status = "ok" };
                response.Trials.AddRange(issued.Select(t => ProtoConvert.ToProto(t, host.Hub.CheckpointPathsOf(t))));
                return response;
            }

            var reason = outcomes.Select(o => o.Reason).FirstOrDefault(r => r is not null) ?? "";
            if (outcomes.All(o => o.Status == SuggestStatus.Finished))
            {
                return new SuggestResponse { Status = "finished", Reason = reason };
            }

            var left = deadline - host.Tuner.Time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return new SuggestResponse { Status = "wait", Reason = reason };
            }

            await Task.WhenAny(changed, Task.Delay(left, host.Tuner.Time, cancellation)).ConfigureAwait(false);
            cancellation.ThrowIfCancellationRequested();
        }
    }
}
