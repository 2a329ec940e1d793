using System.Net;
using System.Security.Cryptography.X509Certificates;
using HpcTune.Service.Calls;
using HpcTune.Service.Security;
using HpcTune.Service.Studies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HpcTune.Service.Hosting;

/// <summary>
/// The web server of <c>serve</c>: Kestrel with the gRPC service, its HTTP/JSON mapping (JSON transcoding) and
/// gRPC-Web. Kestrel cannot tell HTTP/1.1 from cleartext HTTP/2 on one port, so without TLS the port speaks HTTP/1.1:
/// HTTP/JSON for curl and Python, gRPC-Web for the C# client; with TLS it speaks both, and gRPC clients use HTTP/2.
/// </summary>
internal static class ServiceHost
{
    /// <summary>The largest request body accepted (gRPC message or JSON), in bytes: a study or a trial is far smaller.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>Builds the server; <see cref="WebApplication.StartAsync"/> starts it.</summary>
    public static WebApplication Build(StudyCatalog catalog, ServerToken token, ServiceEndpoint endpoint, TlsFiles? tls)
    {
        // No content root of its own: the default (the working directory, where checkpoints often lie) gets a file
        // watcher for configuration files, which then wakes on every journal write.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries what serve prints
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.ColorBehavior = Console.IsErrorRedirected ? Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Disabled : Microsoft.Extensions.Logging.Console.LoggerColorBehavior.Default;
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning); // Kestrel's own start lines repeat what serve prints
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
            kestrel.Listen(endpoint.Address, endpoint.Port, listen =>
            {
                if (tls is null)
                {
                    listen.Protocols = HttpProtocols.Http1;
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(tls.Load());
                }
            });
        });
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(token);
        builder.Services.AddSingleton<WorkerNames>();
        builder.Services
            .AddGrpc(grpc =>
            {
                grpc.MaxReceiveMessageSize = MaxRequestBytes;
                grpc.EnableDetailedErrors = true; // our messages say what to fix; nothing secret is in them
                grpc.Interceptors.Add<BearerTokenInterceptor>();
                grpc.Interceptors.Add<ErrorInterceptor>();
            })
            .AddJsonTranscoding(json =>
            {
                json.JsonSettings.IgnoreDefaultValues = false; // a script reads "open": 0, not a missing key
                json.JsonSettings.WriteInt64sAsStrings = false; // trial ids are plain numbers in JSON
            });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > MaxRequestBytes)
            {
                // Said before the body is read, so a client that waits for 100-continue hears why.
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.Response.WriteAsJsonAsync(new { code = (int)Grpc.Core.StatusCode.ResourceExhausted, message = $"request body too large: {context.Request.ContentLength} bytes; the server takes at most {MaxRequestBytes}" }).ConfigureAwait(false);
                return;
            }

            // `curl -d '{...}'` sends form encoding; the JSON API reads every body as JSON rather than refuse it.
            if (context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) && context.Request.ContentType is null or "application/x-www-form-urlencoded")
            {
                context.Request.ContentType = "application/json";
            }

            await next(context).ConfigureAwait(false);
        });
        app.UseGrpcWeb(new GrpcWebOptions { DefaultEnabled = true });
        app.MapGrpcService<StudiesService>();
        return app;
    }

    /// <summary>The address the started server listens on, as clients write it (http://127.0.0.1:PORT).</summary>
    public static string Address(WebApplication app, ServiceEndpoint endpoint, bool tls)
    {
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal)).Port;
        var host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.Equals(IPAddress.IPv6Any) ? "[::1]" : endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return $"{(tls ? "https" : "http")}://{host}:{port}";
    }
}

/// <summary>The certificate and key (PEM files) of <c>serve --tls-cert --tls-key</c>.</summary>
internal sealed record TlsFiles(string CertificatePath, string KeyPath)
{
    public X509Certificate2 Load()
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null); // Kestrel needs the key in a form SslStream can use
        }
        catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new ArgumentException($"--tls-cert {CertificatePath} --tls-key {KeyPath}: {e.Message}", e);
        }
    }
}
