using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HpcTune.Bench.Service;

/// <summary>A self-signed certificate for 127.0.0.1 (ECDSA P-256), written as the PEM files <c>serve --tls-cert --tls-key</c> takes.</summary>
internal static class SelfSignedCertificate
{
    /// <summary>Makes the certificate, writes cert.pem and key.pem into <paramref name="directory"/>; returns it (public part).</summary>
    public static (X509Certificate2 Certificate, string CertPath, string KeyPath) Write(string directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certPath = Path.Combine(directory, "cert.pem");
        var keyPath = Path.Combine(directory, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (X509CertificateLoader.LoadCertificate(certificate.RawData), certPath, keyPath);
    }
}
