using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HpcTune.Service.Tests.Serving;

namespace HpcTune.Service.Tests;

/// <summary><c>--tls-cert --tls-key</c>: https, with HTTP/2 for gRPC clients on the same port as HTTP/1.1 for scripts.</summary>
public sealed class TlsTests
{
    [Fact]
    public async Task With_a_certificate_the_server_speaks_https_and_http2()
    {
        using var folder = new StudyFolder();
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = folder.Write("cert.pem", certificate.ExportCertificatePem());
        var keyPath = folder.Write("key.pem", key.ExportPkcs8PrivateKeyPem());

        await using var server = await ServerUnderTest.StartAsync(folder.Checkpoint, "--checkpoint", folder.Checkpoint, "--study", folder.Study(), "--tls-cert", certPath, "--tls-key", keyPath);
        Assert.StartsWith("https://127.0.0.1:", server.Url, StringComparison.Ordinal);

        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint };
        foreach (var version in new[] { HttpVersion.Version20, HttpVersion.Version11 })
        {
            using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = new Uri(server.Url), DefaultRequestVersion = version, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
            using var response = await client.GetAsync("/v1/studies/-/stats", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(version, response.Version);
        }

        // A certificate that does not load is a clear start-up error.
        var (code, stderr) = await ServerUnderTest.RefusedAsync("--checkpoint", folder.Combine("other"), "--study", folder.Study(), "--tls-cert", keyPath, "--tls-key", keyPath);
        Assert.Equal(2, code);
        Assert.Contains("--tls-cert", stderr, StringComparison.Ordinal);
    }
}
