using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace HpcTune.Service.Security;

/// <summary>
/// Refuses every call that does not carry <c>authorization: Bearer TOKEN</c> with the server's token, for gRPC,
/// gRPC-Web and HTTP/JSON alike (JSON transcoding runs the same interceptors): UNAUTHENTICATED, HTTP 401.
/// </summary>
internal sealed class BearerTokenInterceptor(ServerToken token) : Interceptor
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token.Value);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    private void Check(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "no token: send the header 'authorization: Bearer TOKEN' with the token from the server's DIR/token (clients: --token-file or HPCTUNE_TOKEN)"));
        }

        const string scheme = "Bearer ";
        var given = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()) : [];
        if (!CryptographicOperations.FixedTimeEquals(given, _expected))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "wrong token: use the one in the server's DIR/token"));
        }
    }
}

/// <summary>The token of this server (<see cref="TokenFile"/>).</summary>
internal sealed record ServerToken(string Value);
