namespace HpcTune.Bench.Service;

/// <summary>
/// One worker of a served study as the benchmarks drive it: suggest one trial, observe its value. Implemented over
/// gRPC (gRPC-Web on HTTP/1.1, or HTTP/2 with TLS) and over HTTP/JSON, so that the same loop measures each path.
/// </summary>
internal interface IPairClient : IDisposable
{
    /// <summary>One trial for this worker (its inputs x1..xd), or null once the study is finished.</summary>
    Task<SuggestedTrial?> SuggestAsync(CancellationToken cancellation);

    /// <summary>The value of trial <paramref name="id"/>; completes once the server acknowledged it (on disk).</summary>
    Task ObserveAsync(long id, double value, CancellationToken cancellation);
}

/// <summary>A trial handed to a benchmark worker: its id and its inputs x1..xd in order.</summary>
internal sealed record SuggestedTrial(long Id, double[] X);
