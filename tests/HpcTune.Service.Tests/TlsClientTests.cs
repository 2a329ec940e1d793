using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HpcTune.Cli.Tests;
using HpcTune.Client;

namespace HpcTune.Service.Tests;

/// <summary>Over https:// the client speaks plain gRPC on HTTP/2 to <c>serve --tls-cert --tls-key</c>.</summary>
public sealed class TlsClientTests : IDisposable
{
    private readonly ClientWorkspace _w = new();

    [Fact]
    public async Task The_client_and_the_cli_reach_a_server_over_tls()
    {
        using var certificate = SelfSigned(out var certFile, out var keyFile);
        await using var server = await ServedStudy.StartAsync(_w, _w.Study(budget: 3), 0, "--tls-cert", certFile, "--tls-key", keyFile);
        Assert.Equal("https", server.Url.Scheme);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString();
        using var client = await ExperimentClient.ConnectAsync(new ExperimentClientOptions { Url = server.Url, TokenFile = _w.TokenFile, HttpHandler = handler }, TestContext.Current.CancellationToken);

        var evaluated = await client.WorkOnAsync((trial, _) => Task.FromResult(trial.Parameters.GetDouble("x1")), null, TestContext.Current.CancellationToken);

        Assert.Equal(3, evaluated);
        Assert.True(await client.IsDoneAsync(TestContext.Current.CancellationToken));
        // The CLI trusts the certificate as .NET trusts any: here through SSL_CERT_FILE.
        var listed = await HpcTuneProcess.RunInAsync(_w.Path, new Dictionary<string, string> { ["SSL_CERT_FILE"] = certFile },
            "trials", "--connect", server.Url.ToString(), "--token-file", _w.TokenFile, "--state", "completed");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal(3, listed.StdoutLines.Length);
        var untrusted = await HpcTuneProcess.RunInAsync(_w.Path, "trials", "--connect", server.Url.ToString(), "--token-file", _w.TokenFile, "--retry-timeout", "1");
        Assert.True(untrusted.ExitCode == 2, untrusted.ToString()); // not retried: a certificate does not become trusted
        Assert.Contains("certificate", untrusted.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    private X509Certificate2 SelfSigned(out string certFile, out string keyFile)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        certFile = _w.Write("server.pem", certificate.ExportCertificatePem());
        keyFile = _w.Write("server.key", key.ExportPkcs8PrivateKeyPem());
        return certificate;
    }

    public void Dispose() => _w.Dispose();
}
