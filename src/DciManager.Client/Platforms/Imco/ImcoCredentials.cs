using System.IO.Compression;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DciManager.Client;

/// <summary>
/// The identity an IMCO connection offers (a client certificate with its private key) and the CA it trusts for the
/// server. Loaded in memory for one connection: the key is never written anywhere (no file, no certificate store),
/// and its bytes are cleared as soon as the certificate holds it. Every problem that can be seen locally is an error
/// here, before any request: a missing file, an encrypted key without (or with the wrong) password, a key that does not
/// belong to the certificate, a certificate without a private key, and a certificate outside its validity dates
/// (IMCO would refuse it in the TLS handshake, with less to go on).
/// </summary>
public sealed class ImcoCredentials : IDisposable
{
    public const string CaFileName = "ca_cert.pem";
    public const string CertificateFileName = "cert.crt";
    public const string KeyFileName = "cert.key";

    /// <summary>Certificates and keys are small: a larger file (or zip entry) is not an API key.</summary>
    private const int MaxFileBytes = 1024 * 1024;

    private readonly bool _ownsCertificate;

    private ImcoCredentials(X509Certificate2 certificate, bool ownsCertificate, X509Certificate2Collection? trustedCa, string source)
    {
        Certificate = certificate;
        _ownsCertificate = ownsCertificate;
        TrustedCa = trustedCa;
        Source = source;
    }

    /// <summary>The client certificate with its private key.</summary>
    internal X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates the server must chain to; null: the system's trust.</summary>
    internal X509Certificate2Collection? TrustedCa { get; }

    /// <summary>The CA the server is checked against (its subject), or null when the system's trust is used.</summary>
    public string? TrustedCaForServer => TrustedCa is null ? null : string.Join(", ", TrustedCa.Select(c => c.Subject));

    /// <summary>Where the identity came from (a path or "certificate"), for messages.</summary>
    public string Source { get; }

    public string Subject => Certificate.Subject;
    public DateTime NotAfter => Certificate.NotAfter;
    public string Thumbprint => Certificate.Thumbprint;

    /// <summary>The certificate's subject CN (IMCO puts the user's e-mail there), else the whole subject.</summary>
    public string CommonName => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false) is { Length: > 0 } cn ? cn : Certificate.Subject;

    /// <summary>How messages name the certificate: subject, expiry and thumbprint.</summary>
    public string Describe() => Describe(Certificate);

    internal static string Describe(X509Certificate2 certificate) => Http.DciTransport.DescribeCertificate(certificate);

    /// <summary>A PEM certificate (cert.crt) and its PEM private key (PKCS#1, PKCS#8 or encrypted PKCS#8 with <paramref name="keyPassword"/>).</summary>
    public static ImcoCredentials FromPem(string certificatePath, string keyPath, string? caCertificatePath = null, string? keyPassword = null)
    {
        var certPem = ReadFile(certificatePath, "certificate");
        var keyPem = ReadFile(keyPath, "private key");
        var ca = caCertificatePath is null ? null : LoadCa(ReadFile(caCertificatePath, "CA certificate"), caCertificatePath);
        return Build(certPem, keyPem, keyPassword, ca, certificatePath);
    }

    /// <summary>
    /// IMCO's "API key" download: a folder or a zip holding <c>ca_cert.pem</c>, <c>cert.crt</c> and <c>private/cert.key</c>
    /// (a zip may have them at its root or in one folder). Without a ca_cert.pem the server is checked against the system's trust.
    /// </summary>
    public static ImcoCredentials FromApiKey(string path, string? keyPassword = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            var cert = Path.Combine(path, CertificateFileName);
            var key = Path.Combine(path, "private", KeyFileName);
            if (!File.Exists(key) && File.Exists(Path.Combine(path, KeyFileName))) key = Path.Combine(path, KeyFileName);
            if (!File.Exists(cert) || !File.Exists(key))
                throw new ArgumentException($"'{path}' is not an IMCO API key folder: it needs {CertificateFileName} and private/{KeyFileName} (and {CaFileName}).", nameof(path));
            var caPath = Path.Combine(path, CaFileName);
            return FromPem(cert, key, File.Exists(caPath) ? caPath : null, keyPassword);
        }
        if (!File.Exists(path)) throw new ArgumentException($"The API key '{path}' does not exist (give the folder or the zip IMCO's API key download holds).", nameof(path));
        return FromZip(path, keyPassword);
    }

    /// <summary>A certificate that has its private key (from a PFX, or the Windows certificate store), and optionally the CA for the server.</summary>
    public static ImcoCredentials FromCertificate(X509Certificate2 certificate, string? caCertificatePath = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
            throw Refused($"The certificate {Describe(certificate)} has no private key, so it cannot prove who you are; give a certificate with its key (a PFX, or one from the certificate store with its key), or -CertificatePath with -KeyPath.",
                "CertificateWithoutKey");
        CheckDates(certificate);
        var ca = caCertificatePath is null ? null : LoadCa(ReadFile(caCertificatePath, "CA certificate"), caCertificatePath);
        return new ImcoCredentials(certificate, ownsCertificate: false, ca, "certificate " + certificate.Thumbprint);
    }

    private static ImcoCredentials FromZip(string path, string? keyPassword)
    {
        ZipArchive zip;
        try { zip = ZipFile.OpenRead(path); }
        catch (InvalidDataException) { throw new ArgumentException($"'{path}' is neither a folder nor a zip file: give IMCO's API key folder or zip.", nameof(path)); }
        using (zip)
        {
            byte[]? cert = null, key = null, ca = null;
            try
            {
                foreach (var entry in zip.Entries)
                {
                    var name = entry.FullName.Replace('\\', '/');
                    if (name.EndsWith("/", StringComparison.Ordinal)) continue;
                    if (name.EndsWith("private/" + KeyFileName, StringComparison.OrdinalIgnoreCase) || name.Equals(KeyFileName, StringComparison.OrdinalIgnoreCase))
                        key ??= ReadEntry(entry, path);
                    else if (name.Equals(CertificateFileName, StringComparison.OrdinalIgnoreCase) || name.EndsWith("/" + CertificateFileName, StringComparison.OrdinalIgnoreCase))
                        cert ??= ReadEntry(entry, path);
                    else if (name.Equals(CaFileName, StringComparison.OrdinalIgnoreCase) || name.EndsWith("/" + CaFileName, StringComparison.OrdinalIgnoreCase))
                        ca ??= ReadEntry(entry, path);
                }
                if (cert is null || key is null)
                    throw new ArgumentException($"The zip '{path}' is not an IMCO API key: it needs {CertificateFileName} and private/{KeyFileName} (and {CaFileName}).", nameof(path));
                return Build(cert, key, keyPassword, ca is null ? null : LoadCa(ca, path + ":" + CaFileName), path);
            }
            finally
            {
                if (key is not null) Array.Clear(key);
            }
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string zipPath)
    {
        if (entry.Length > MaxFileBytes) throw new ArgumentException($"'{entry.FullName}' in '{zipPath}' is too large to be a certificate or key.", nameof(zipPath));
        using var stream = entry.Open();
        var buffer = new byte[(int)entry.Length];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private static byte[] ReadFile(string path, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new ArgumentException($"The {what} file '{path}' does not exist.", nameof(path));
        var length = new FileInfo(path).Length;
        if (length > MaxFileBytes) throw new ArgumentException($"The {what} file '{path}' is too large ({length} bytes) to be a PEM {what}.", nameof(path));
        return File.ReadAllBytes(path);
    }

    private static X509Certificate2Collection LoadCa(byte[] pem, string source)
    {
        var collection = new X509Certificate2Collection();
        try { collection.ImportFromPem(Encoding.ASCII.GetString(pem)); }
        catch (CryptographicException ex) { throw new ArgumentException($"The CA certificate '{source}' is not a PEM certificate ({ex.Message}).", nameof(source), ex); }
        if (collection.Count == 0) throw new ArgumentException($"The CA certificate '{source}' holds no PEM certificate.", nameof(source));
        return collection;
    }

    /// <summary>Pairs the certificate with its key in memory; the key's bytes and characters are cleared whatever happens.</summary>
    private static ImcoCredentials Build(byte[] certPem, byte[] keyPem, string? keyPassword, X509Certificate2Collection? ca, string source)
    {
        var keyChars = new char[keyPem.Length];
        try
        {
            var n = Encoding.ASCII.GetChars(keyPem, 0, keyPem.Length, keyChars, 0);
            var keyText = keyChars.AsSpan(0, n);
            X509Certificate2 publicOnly;
            try { publicOnly = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certPem)); }
            catch (CryptographicException ex) { throw new ArgumentException($"The certificate '{source}' is not a PEM certificate ({ex.Message}).", nameof(source), ex); }
            using (publicOnly)
            {
                CheckDates(publicOnly);
                var encrypted = keyText.IndexOf("-----BEGIN ENCRYPTED PRIVATE KEY-----".AsSpan(), StringComparison.Ordinal) >= 0;
                if (encrypted && keyPassword is null)
                    throw Refused($"The private key of the certificate {Describe(publicOnly)} is encrypted: give its password (-KeyPassword).", "KeyPasswordMissing");
                using var combined = Pair(publicOnly, keyText, encrypted ? keyPassword : null);
                return new ImcoCredentials(InMemoryPkcs12(combined), ownsCertificate: true, ca, source);
            }
        }
        finally
        {
            Array.Clear(keyChars);
            Array.Clear(keyPem);
        }
    }

    private static X509Certificate2 Pair(X509Certificate2 certificate, ReadOnlySpan<char> keyText, string? password)
    {
        var algorithm = certificate.GetKeyAlgorithm();
        try
        {
            switch (algorithm)
            {
                case "1.2.840.113549.1.1.1":
                {
                    using var rsa = RSA.Create();
                    Import(rsa, keyText, password, certificate);
                    return CopyWithKey(certificate, () => certificate.CopyWithPrivateKey(rsa));
                }
                case "1.2.840.10045.2.1":
                {
                    using var ec = ECDsa.Create();
                    Import(ec, keyText, password, certificate);
                    return CopyWithKey(certificate, () => certificate.CopyWithPrivateKey(ec));
                }
                default:
                    throw new ArgumentException($"The certificate {Describe(certificate)} has a {algorithm} key; IMCO API keys are RSA or EC.", nameof(certificate));
            }
        }
        catch (CryptographicException ex) when (password is null)
        {
            throw new ArgumentException($"The private key given for the certificate {Describe(certificate)} cannot be read as a PEM key ({ex.Message}).", nameof(keyText), ex);
        }
    }

    private static void Import(AsymmetricAlgorithm key, ReadOnlySpan<char> keyText, string? password, X509Certificate2 certificate)
    {
        if (password is null)
        {
            key.ImportFromPem(keyText);
            return;
        }
        try { key.ImportFromEncryptedPem(keyText, password); }
        catch (CryptographicException ex)
        {
            throw Refused($"The password (-KeyPassword) does not open the encrypted private key of the certificate {Describe(certificate)}.", "KeyPasswordWrong", ex);
        }
    }

    private static X509Certificate2 CopyWithKey(X509Certificate2 certificate, Func<X509Certificate2> copy)
    {
        try { return copy(); }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The private key does not belong to the certificate {Describe(certificate)}: give the key that was issued with it.", "key", ex);
        }
    }

    /// <summary>
    /// Some platforms (Linux among them) offer a PEM-paired key in a TLS handshake only after a PKCS#12 round-trip:
    /// done in memory, with an ephemeral key set where the OS has one, so nothing reaches a disk or a key store.
    /// </summary>
    private static X509Certificate2 InMemoryPkcs12(X509Certificate2 withKey)
    {
        var pfx = withKey.Export(X509ContentType.Pkcs12);
        try
        {
            var flags = OperatingSystem.IsMacOS() ? X509KeyStorageFlags.DefaultKeySet : X509KeyStorageFlags.EphemeralKeySet;
#pragma warning disable SYSLIB0057 // X509CertificateLoader is not in net8.0
            return new X509Certificate2(pfx, (string?)null, flags);
#pragma warning restore SYSLIB0057
        }
        finally { Array.Clear(pfx); }
    }

    private static void CheckDates(X509Certificate2 certificate)
    {
        var now = DateTime.Now;
        if (certificate.NotAfter < now)
            throw Refused($"The client certificate {Describe(certificate)} has expired: IMCO refuses it in the TLS handshake. Download a new API key.", "CertificateExpired");
        if (certificate.NotBefore > now)
            throw Refused($"The client certificate {Describe(certificate)} is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: IMCO refuses it until then.", "CertificateNotYetValid");
    }

    /// <summary>A certificate that cannot be used to sign in: an authentication error, raised before anything is sent.</summary>
    internal static DciApiException Refused(string message, string errorType, Exception? inner = null) =>
        new(message, 0, null, message, null, "CONNECT", "", null, inner) { Kind = DciErrorKind.Authentication, ErrorType = errorType };

    public void Dispose()
    {
        if (_ownsCertificate) Certificate.Dispose();
        if (TrustedCa is not null)
            foreach (var ca in TrustedCa) ca.Dispose();
    }

    public override string ToString() => Describe();
}
