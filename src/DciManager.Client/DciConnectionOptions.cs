namespace DciManager.Client;

/// <summary>How to reach one DCImanager 6 and how to behave on the wire.</summary>
public sealed class DciConnectionOptions
{
    /// <summary>The panel address, e.g. <c>https://dci.example.com</c>. A path, if any, is kept as a base path.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>Prefix in front of every service path (reference §1: <c>/api</c>; use an empty string for bare paths).</summary>
    public string ApiPrefix { get; init; } = "/api";

    /// <summary>Accept any TLS certificate, for this connection's handler only (never process-wide).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>
    /// Allow sending the password, key or token over plain <c>http://</c> to a host that is not a loopback
    /// address (Invoke-RestMethod's -AllowUnencryptedAuthentication). Off by default.
    /// </summary>
    public bool AllowUnencryptedAuthentication { get; init; }

    /// <summary>Time limit of one attempt (send + read the whole response).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(100);

    public int MaxConnectionsPerServer { get; init; } = 16;

    /// <summary>
    /// The largest answer read (after decompression): a longer one is refused with a clear error rather than
    /// filling memory. Error answers are read to a few KB only, whatever this says.
    /// </summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Items per list request (<c>limit=offset,PageSize</c>).</summary>
    public int PageSize { get; init; } = 500;

    public DciRetryOptions Retry { get; init; } = new();

    /// <summary>
    /// The client certificate (with its private key) this connection offers in every TLS handshake (IMCO's mutual TLS);
    /// for this connection's handler only, never a certificate store.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The CA certificates the server must chain to, instead of the system's trust (IMCO's ca_cert.pem); checked by this
    /// connection's handler only. Null: the system's trust.
    /// </summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2Collection? TrustedCaCertificates { get; init; }

    /// <summary>These options for another address and API prefix (a platform whose API sits elsewhere than /api).</summary>
    internal DciConnectionOptions WithAddress(Uri baseUri, string apiPrefix,
        System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null,
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection? trustedCaCertificates = null) => new()
    {
        BaseUri = baseUri,
        ApiPrefix = apiPrefix,
        SkipCertificateCheck = SkipCertificateCheck,
        AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
        Timeout = Timeout,
        MaxConnectionsPerServer = MaxConnectionsPerServer,
        MaxResponseBytes = MaxResponseBytes,
        PageSize = PageSize,
        Retry = Retry,
        ClientCertificate = clientCertificate ?? ClientCertificate,
        TrustedCaCertificates = trustedCaCertificates ?? TrustedCaCertificates,
    };
}

/// <summary>Retry policy knobs (architecture rule 7).</summary>
public sealed class DciRetryOptions
{
    /// <summary>Total attempts (first one included) of a GET/DELETE that fails transiently (timeout, 502, 504, reset).</summary>
    public int MaxTransientAttempts { get; init; } = 4;

    /// <summary>How long 503 (platform suspended) answers are retried, for every method.</summary>
    public TimeSpan SuspendedMaxWait { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}

public enum DciAuthMethod
{
    Password,
    Key,
    Token,
    /// <summary>DCImanager 5 authinfo (user:password) sent in the body of every call: no session.</summary>
    AuthInfo,
    /// <summary>openDCIM: the UserID and APIKey headers on every call.</summary>
    ApiKey,
    /// <summary>openDCIM: HTTP Basic on every call.</summary>
    Basic,
    /// <summary>IMCO: a client certificate in every TLS handshake (mutual TLS), no header.</summary>
    Certificate,
}
