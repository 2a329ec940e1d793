using System.Globalization;
using System.Net;

namespace HpcTune.Service.Hosting;

/// <summary>Where <c>serve</c> listens: <c>HOST:PORT</c> (<c>--listen</c>), 127.0.0.1 unless told otherwise; port 0 picks a free one.</summary>
internal sealed record ServiceEndpoint(IPAddress Address, int Port)
{
    public const int DefaultPort = 7781;

    public static ServiceEndpoint Default { get; } = new(IPAddress.Loopback, DefaultPort);

    /// <exception cref="ArgumentException">Not HOST:PORT with an IP address (or localhost, *) and a port from 0 to 65535.</exception>
    public static ServiceEndpoint Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? text : text[..colon];
        var portText = colon < 0 ? "" : text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            throw new ArgumentException($"--listen '{text}': expected HOST:PORT, e.g. 127.0.0.1:{DefaultPort}, 0.0.0.0:{DefaultPort} (every interface) or 127.0.0.1:0 (a free port)");
        }

        host = host.Trim('[', ']');
        var address = host switch
        {
            "localhost" => IPAddress.Loopback,
            "*" or "" => IPAddress.Any,
            _ when IPAddress.TryParse(host, out var parsed) => parsed,
            _ => throw new ArgumentException($"--listen '{text}': '{host}' is not an IP address (give 127.0.0.1, 0.0.0.0, an interface's address, or localhost)"),
        };
        return new ServiceEndpoint(address, port);
    }
}
