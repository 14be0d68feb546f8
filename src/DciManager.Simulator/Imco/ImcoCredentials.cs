using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DciManager.Simulator.Imco;

/// <summary>
/// The IMCO simulator's certificates: its own CA, a server certificate for localhost/127.0.0.1 signed by it, and the
/// client "API key" folder IMCO hands out (ca_cert.pem, cert.crt, private/cert.key), plus variants for negative tests.
/// Created in <see cref="Directory"/> on first start and reused on later starts while they still chain to the same CA.
/// </summary>
public sealed class ImcoCredentials : IDisposable
{
    /// <summary>Password of the encrypted PEM key in <see cref="EncryptedKeyApiKeyDirectory"/> and of <see cref="PfxPath"/>.</summary>
    public const string KeyPassword = "imco-simulator-key-password";

    public const string CaFileName = "ca_cert.pem";
    public const string CertificateFileName = "cert.crt";
    public static readonly string KeyRelativePath = Path.Combine("private", "cert.key");

    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    private readonly X509Certificate2 _ca;

    private ImcoCredentials(string directory, X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client, bool reused)
    {
        Directory = directory;
        _ca = ca;
        CaCertificate = new X509Certificate2(ca.RawData);
        ServerCertificate = server;
        ClientCertificate = client;
        Reused = reused;
    }

    /// <summary>The folder holding everything (the <c>--credentials-dir</c> switch).</summary>
    public string Directory { get; }
    /// <summary>True when the CA and the API key already in <see cref="Directory"/> were reused.</summary>
    public bool Reused { get; }

    /// <summary>The API key folder: <c>ca_cert.pem</c>, <c>cert.crt</c>, <c>private/cert.key</c> (unencrypted PKCS#1 PEM).</summary>
    public string ApiKeyDirectory => Path.Combine(Directory, "api-key");
    /// <summary>The same three files as a zip (entries at its root), like IMCO's API key download.</summary>
    public string ApiKeyZipPath => Path.Combine(Directory, "api-key.zip");
    public string CaCertificatePath => Path.Combine(ApiKeyDirectory, CaFileName);
    public string ClientCertificatePath => Path.Combine(ApiKeyDirectory, CertificateFileName);
    public string ClientKeyPath => Path.Combine(ApiKeyDirectory, KeyRelativePath);
    /// <summary>The API key's certificate and key as PKCS#12, protected by <see cref="KeyPassword"/>.</summary>
    public string PfxPath => Path.Combine(Directory, "api-key.pfx");
    /// <summary>Same certificate as the API key; private/cert.key is encrypted PKCS#8 PEM with <see cref="KeyPassword"/>.</summary>
    public string EncryptedKeyApiKeyDirectory => Path.Combine(Directory, "api-key-encrypted-key");
    /// <summary>A client certificate signed by the simulator's CA that expired (refused at the TLS layer).</summary>
    public string ExpiredApiKeyDirectory => Path.Combine(Directory, "api-key-expired");
    /// <summary>A valid-looking client certificate signed by a different CA (refused at the TLS layer); its ca_cert.pem is the simulator's.</summary>
    public string WrongCaApiKeyDirectory => Path.Combine(Directory, "api-key-wrong-ca");
    /// <summary>The certificate of that different CA: a client that trusts only it must refuse the simulator's server certificate.</summary>
    public string OtherCaCertificatePath => Path.Combine(Directory, "other-ca", CaFileName);
    /// <summary>The simulator's own CA key and server certificate (not part of any API key).</summary>
    public string SimulatorDirectory => Path.Combine(Directory, "simulator");

    /// <summary>The CA every accepted client certificate must chain to (public part only).</summary>
    public X509Certificate2 CaCertificate { get; }
    /// <summary>The server's certificate (with its key), for localhost, 127.0.0.1 and ::1.</summary>
    public X509Certificate2 ServerCertificate { get; }
    /// <summary>The API key's certificate with its private key, as a client would load it.</summary>
    public X509Certificate2 ClientCertificate { get; }

    /// <summary>Creates or reuses the credentials in <paramref name="directory"/> (null → a new temporary folder).</summary>
    public static ImcoCredentials CreateOrReuse(string? directory)
    {
        directory = string.IsNullOrEmpty(directory)
            ? Path.Combine(Path.GetTempPath(), "dcimanager-imco-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant())
            : Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(directory);
        var sim = Path.Combine(directory, "simulator");

        bool reused = true;
        var ca = LoadPair(Path.Combine(sim, "ca_cert.pem"), Path.Combine(sim, "ca_key.pem"), now => now.AddDays(1));
        if (ca is null) { ca = CreateCa("CN=IMCO Simulator CA, O=IMCO Simulator"); reused = false; SavePair(ca, Path.Combine(sim, "ca_cert.pem"), Path.Combine(sim, "ca_key.pem")); }
        var otherCa = LoadPair(Path.Combine(sim, "other_ca_cert.pem"), Path.Combine(sim, "other_ca_key.pem"), now => now.AddDays(1));
        if (otherCa is null) { otherCa = CreateCa("CN=Some Other CA, O=Not IMCO"); SavePair(otherCa, Path.Combine(sim, "other_ca_cert.pem"), Path.Combine(sim, "other_ca_key.pem")); }
        WriteText(Path.Combine(directory, "other-ca", CaFileName), otherCa.ExportCertificatePem());

        var server = LoadIssued(Path.Combine(sim, "server.crt"), Path.Combine(sim, "server.key"), ca, requireValid: true);
        if (server is null)
        {
            server = Issue(ca, "CN=localhost, O=IMCO Simulator", ServerAuth, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), san: true);
            SavePair(server, Path.Combine(sim, "server.crt"), Path.Combine(sim, "server.key"));
        }

        var apiKey = Path.Combine(directory, "api-key");
        var client = LoadIssued(Path.Combine(apiKey, CertificateFileName), Path.Combine(apiKey, KeyRelativePath), ca, requireValid: true);
        bool newClient = client is null;
        if (client is null)
        {
            reused = false;
            client = Issue(ca, "CN=admin@example.com, OU=Users, O=IMCO Simulator", ClientAuth, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            SavePair(client, Path.Combine(apiKey, CertificateFileName), Path.Combine(apiKey, KeyRelativePath));
        }
        WriteText(Path.Combine(apiKey, CaFileName), ca.ExportCertificatePem());
        var zip = Path.Combine(directory, "api-key.zip");
        if (newClient || !File.Exists(zip))
        {
            File.Delete(zip);
            ZipFile.CreateFromDirectory(apiKey, zip);
        }
        var pfx = Path.Combine(directory, "api-key.pfx");
        if (newClient || !File.Exists(pfx)) WriteBytes(pfx, client.Export(X509ContentType.Pkcs12, KeyPassword), secret: true);

        var encrypted = Path.Combine(directory, "api-key-encrypted-key");
        var encryptedCert = Path.Combine(encrypted, CertificateFileName);
        if (newClient || !File.Exists(encryptedCert) || !File.Exists(Path.Combine(encrypted, KeyRelativePath)))
        {
            WriteText(encryptedCert, client.ExportCertificatePem());
            using var key = client.GetRSAPrivateKey()!;
            WriteText(Path.Combine(encrypted, KeyRelativePath), key.ExportEncryptedPkcs8PrivateKeyPem(KeyPassword,
                new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)), secret: true);
        }
        WriteText(Path.Combine(encrypted, CaFileName), ca.ExportCertificatePem());

        var expired = Path.Combine(directory, "api-key-expired");
        using (var old = LoadIssued(Path.Combine(expired, CertificateFileName), Path.Combine(expired, KeyRelativePath), ca, requireValid: false))
        {
            if (old is null)
            {
                // Inside the CA's own validity (it starts 30 days back), so only the leaf's dates are wrong.
                using var c = Issue(ca, "CN=expired@example.com, OU=Users, O=IMCO Simulator", ClientAuth, DateTimeOffset.UtcNow.AddDays(-20), DateTimeOffset.UtcNow.AddDays(-10));
                SavePair(c, Path.Combine(expired, CertificateFileName), Path.Combine(expired, KeyRelativePath));
            }
        }
        WriteText(Path.Combine(expired, CaFileName), ca.ExportCertificatePem());

        var wrong = Path.Combine(directory, "api-key-wrong-ca");
        using (var old = LoadIssued(Path.Combine(wrong, CertificateFileName), Path.Combine(wrong, KeyRelativePath), otherCa, requireValid: true))
        {
            if (old is null)
            {
                using var c = Issue(otherCa, "CN=admin@example.com, OU=Users, O=IMCO Simulator", ClientAuth, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
                SavePair(c, Path.Combine(wrong, CertificateFileName), Path.Combine(wrong, KeyRelativePath));
            }
        }
        WriteText(Path.Combine(wrong, CaFileName), ca.ExportCertificatePem());
        WriteText(Path.Combine(directory, "README.txt"), Readme);
        otherCa.Dispose();

        return new ImcoCredentials(directory, ca, ToServerCertificate(server), client, reused);
    }

    /// <summary>
    /// Kestrel's per-endpoint client certificate check: the certificate must chain to this simulator's CA alone
    /// (custom root trust, no system store, no process-wide callback), be within its dates and allow client authentication.
    /// </summary>
    public bool IsTrustedClient(X509Certificate2? certificate)
    {
        if (certificate is null) return false;
        return ChainsTo(certificate, _ca, DateTime.Now, ClientAuth);
    }

    public void Dispose()
    {
        _ca.Dispose();
        CaCertificate.Dispose();
        ServerCertificate.Dispose();
        ClientCertificate.Dispose();
    }

    // ------------------------------------------------------------------ generation

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddYears(5));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter, bool san = false)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { usage }, false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            req.CertificateExtensions.Add(names.Build());
        }
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = req.Create(ca, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    // ------------------------------------------------------------------ reuse

    private static X509Certificate2? LoadPair(string certPath, string keyPath, Func<DateTime, DateTime> validUntil)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath)) return null;
        try
        {
            var cert = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            if (cert.NotAfter.ToUniversalTime() < validUntil(DateTime.UtcNow)) { cert.Dispose(); return null; }
            return cert;
        }
        catch (CryptographicException) { return null; }
    }

    private static X509Certificate2? LoadIssued(string certPath, string keyPath, X509Certificate2 issuer, bool requireValid)
    {
        if (!File.Exists(certPath) || !File.Exists(keyPath)) return null;
        X509Certificate2 cert;
        try { cert = X509Certificate2.CreateFromPemFile(certPath, keyPath); }
        catch (CryptographicException) { return null; }
        var at = requireValid ? DateTime.Now.AddDays(1) : cert.NotBefore.AddSeconds((cert.NotAfter - cert.NotBefore).TotalSeconds / 2);
        if (requireValid && cert.NotAfter < at) { cert.Dispose(); return null; }
        if (ChainsTo(cert, issuer, at, null)) return cert;
        cert.Dispose();
        return null;
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 root, DateTime at, Oid? usage)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = at;
        if (usage is not null) chain.ChainPolicy.ApplicationPolicy.Add(usage);
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(root.RawData);
    }

    /// <summary>Kestrel needs a key it can use for TLS on every OS: round-trip through PKCS#12 (an ephemeral PEM key is not enough on Windows).</summary>
    private static X509Certificate2 ToServerCertificate(X509Certificate2 pemLoaded)
    {
        var pfx = pemLoaded.Export(X509ContentType.Pkcs12);
        pemLoaded.Dispose();
#pragma warning disable SYSLIB0057 // X509CertificateLoader is not in net8.0
        return new X509Certificate2(pfx, (string?)null, X509KeyStorageFlags.Exportable);
#pragma warning restore SYSLIB0057
    }

    private static void SavePair(X509Certificate2 cert, string certPath, string keyPath)
    {
        WriteText(certPath, cert.ExportCertificatePem());
        using var key = cert.GetRSAPrivateKey()!;
        WriteText(keyPath, key.ExportRSAPrivateKeyPem(), secret: true);
    }

    private static void WriteText(string path, string text, bool secret = false) =>
        WriteBytes(path, System.Text.Encoding.ASCII.GetBytes(text.EndsWith('\n') ? text : text + "\n"), secret);

    private static void WriteBytes(string path, byte[] bytes, bool secret)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes)) return;
        File.WriteAllBytes(path, bytes);
        if (secret && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private const string Readme = """
        IMCO simulator credentials (generated; reused on the next start with the same --credentials-dir)

        api-key/                 the API key, IMCO's layout: ca_cert.pem (trust for the server), cert.crt, private/cert.key
        api-key.zip              the same three files as a zip (entries at its root)
        api-key.pfx              the same certificate and key as PKCS#12, password: imco-simulator-key-password
        api-key-encrypted-key/   the same certificate; private/cert.key is encrypted PKCS#8 PEM, password: imco-simulator-key-password
        api-key-expired/         a client certificate signed by the simulator's CA that has expired: refused at the TLS handshake
        api-key-wrong-ca/        a client certificate signed by another CA: refused at the TLS handshake (its ca_cert.pem is the simulator's)
        other-ca/ca_cert.pem     that other CA: a client trusting only it must refuse the simulator's server certificate
        simulator/               the simulator's own CA key and server certificate; not part of any API key
        """;
}
