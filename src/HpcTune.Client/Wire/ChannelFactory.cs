using System.Net;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;

namespace HpcTune.Client.Wire;

/// <summary>
/// The channel for a server URL. Over http:// gRPC-Web on HTTP/1.1: the server's one cleartext port serves HTTP/1.1
/// (for HTTP/JSON clients), and Kestrel cannot serve HTTP/1.1 and cleartext HTTP/2 on one port. Over https:// plain
/// gRPC on HTTP/2, which TLS negotiates beside HTTP/1.1.
/// </summary>
internal static class ChannelFactory
{
    /// <summary>The largest message either way: a study's definition and a page of trials fit with room.</summary>
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    public static GrpcChannel Create(ExperimentClientOptions options)
    {
        var url = options.Url;
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"the server URL must be http://HOST:PORT or https://HOST:PORT, got '{url}'");
        }

        if (url.AbsolutePath is not ("/" or ""))
        {
            throw new ArgumentException($"the server URL must not have a path (the study is named apart), got '{url}'");
        }

        var inner = options.HttpHandler ?? new SocketsHttpHandler
        {
            // A restarted server listens at the same address: new connections find it.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
        };
        var cleartext = url.Scheme == "http";
        return GrpcChannel.ForAddress(url, new GrpcChannelOptions
        {
            HttpHandler = cleartext ? new GrpcWebHandler(GrpcWebMode.GrpcWeb, inner) : inner,
            HttpVersion = cleartext ? HttpVersion.Version11 : HttpVersion.Version20,
            HttpVersionPolicy = cleartext ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrHigher,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
            ThrowOperationCanceledOnCancellation = true,
            DisposeHttpClient = true,
        });
    }
}
