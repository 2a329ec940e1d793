using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using HpcTune.Service.Protocol;

namespace HpcTune.Bench.Service;

/// <summary>
/// A benchmark worker on the generated gRPC client (Studies.StudiesClient), each on its own channel (its own
/// connection, as a worker process would have): gRPC-Web over HTTP/1.1 for http://, gRPC over HTTP/2 for https://.
/// </summary>
internal sealed class GrpcPairClient : IPairClient
{
    private readonly GrpcChannel _channel;
    private readonly Studies.StudiesClient _client;
    private readonly Metadata _headers;
    private readonly string _worker;
    private readonly int _dimension;
    private readonly double _waitSeconds;

    /// <param name="url">The server's address.</param>
    /// <param name="token">Its bearer token.</param>
    /// <param name="worker">This worker's name.</param>
    /// <param name="dimension">Inputs x1..xd read from each trial.</param>
    /// <param name="waitSeconds">How long a suggest waits for a trial before the server answers "wait".</param>
    /// <param name="trusted">With https://, the server's self-signed certificate, the only one accepted.</param>
    public GrpcPairClient(string url, string token, string worker, int dimension, double waitSeconds, X509Certificate2? trusted)
    {
        var sockets = new SocketsHttpHandler { PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan };
        var options = new GrpcChannelOptions { DisposeHttpClient = true };
        if (url.StartsWith("https://", StringComparison.Ordinal))
        {
            var pinned = trusted ?? throw new ArgumentException("https:// needs the server's certificate");
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData);
            options.HttpHandler = sockets;
        }
        else
        {
            options.HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWeb, sockets);
            options.HttpVersion = HttpVersion.Version11;
            options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        _channel = GrpcChannel.ForAddress(url, options);
        _client = new Studies.StudiesClient(_channel);
        _headers = new Metadata { { "authorization", "Bearer " + token } };
        _worker = worker;
        _dimension = dimension;
        _waitSeconds = waitSeconds;
    }

    public async Task<SuggestedTrial?> SuggestAsync(CancellationToken cancellation)
    {
        while (true)
        {
            var answer = await _client.SuggestAsync(new SuggestRequest { Study = "-", Worker = _worker, Count = 1, WaitSeconds = _waitSeconds }, _headers, cancellationToken: cancellation).ResponseAsync.ConfigureAwait(false);
            switch (answer.Status)
            {
                case "ok":
                    var trial = answer.Trials[0];
                    var x = new double[_dimension];
                    for (var i = 0; i < x.Length; i++)
                    {
                        x[i] = trial.Assignments[$"x{i + 1}"].NumberValue;
                    }

                    return new SuggestedTrial(trial.Id, x);
                case "finished":
                    return null;
                default:
                    continue; // "wait": nothing could be handed out within the wait; ask again
            }
        }
    }

    public async Task ObserveAsync(long id, double value, CancellationToken cancellation)
    {
        var answer = await _client.ObserveAsync(new ObserveRequest { Study = "-", TrialId = id, Worker = _worker, Value = value }, _headers, cancellationToken: cancellation).ResponseAsync.ConfigureAwait(false);
        if (!answer.Recorded)
        {
            throw new InvalidOperationException($"trial {id}: the server did not record the result: {answer.Problem}");
        }
    }

    public void Dispose() => _channel.Dispose();
}
