using System.Security.Cryptography.X509Certificates;

namespace HpcTune.Bench.Service;

/// <summary>Makes the benchmark worker of a <see cref="ServiceTransport"/>.</summary>
internal static class PairClients
{
    public static IPairClient Connect(ServiceTransport transport, ServeProcess server, string worker, int dimension, double waitSeconds, X509Certificate2? certificate) => transport switch
    {
        ServiceTransport.Json => new JsonPairClient(server.Url, server.Token, worker, dimension, waitSeconds),
        _ => new GrpcPairClient(server.Url, server.Token, worker, dimension, waitSeconds, certificate),
    };
}
