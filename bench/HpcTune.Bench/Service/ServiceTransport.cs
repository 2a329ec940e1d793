namespace HpcTune.Bench.Service;

/// <summary>The ways a benchmark worker reaches <c>serve</c>.</summary>
internal enum ServiceTransport
{
    /// <summary>gRPC-Web over HTTP/1.1 (Grpc.Net.Client + GrpcWebHandler): the C# client's path over http://.</summary>
    GrpcWeb,

    /// <summary>HTTP/JSON (HttpClient posting JSON): what Python and curl do.</summary>
    Json,

    /// <summary>gRPC over HTTP/2 with TLS (a self-signed certificate made by the benchmark): the C# client over https://.</summary>
    GrpcTls,
}

/// <summary>Names of <see cref="ServiceTransport"/> on the command line and in tables.</summary>
internal static class ServiceTransports
{
    public const string All = "grpc-web,json,grpc-tls";

    public static ServiceTransport Parse(string name) => name switch
    {
        "grpc-web" => ServiceTransport.GrpcWeb,
        "json" => ServiceTransport.Json,
        "grpc-tls" => ServiceTransport.GrpcTls,
        _ => throw new ArgumentException($"--transports: unknown transport '{name}'; known: {All}"),
    };

    public static string Name(ServiceTransport transport) => transport switch
    {
        ServiceTransport.GrpcWeb => "grpc-web",
        ServiceTransport.Json => "json",
        _ => "grpc-tls",
    };
}
