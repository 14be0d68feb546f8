using System.Management.Automation;
using System.Net;
using System.Security;
using DciManager.Client;
using DciManager.PowerShell.Infrastructure;

namespace DciManager.Commands;

/// <summary>Signs in to DCImanager 6 (or, with -Platform, DCImanager 5, openDCIM or IMCO) and makes the connection the default for this runspace.</summary>
[DciPlatforms(DciPlatform.DCImanager6, DciPlatform.DCImanager5, DciPlatform.OpenDcim, DciPlatform.Imco)]
[Cmdlet(VerbsCommunications.Connect, "Dci", DefaultParameterSetName = CredentialSet)]
[OutputType(typeof(DciConnection))]
public sealed class ConnectDciCommand : DciEngineCmdlet
{
    private const string CredentialSet = "Credential";
    private const string KeySet = "Key";
    private const string TokenSet = "Token";
    private const string VaultSet = "Vault";
    private const string AuthInfoSet = "AuthInfo";
    private const string ApiKeySet = "ApiKey";
    private const string CertificatePathSet = "CertificatePath";
    private const string ApiKeyPathSet = "ApiKeyPath";
    private const string CertificateSet = "Certificate";

    /// <summary>The system behind -Uri: DCImanager6 (default), DCImanager5, OpenDcim or Imco.</summary>
    [Parameter]
    public DciPlatform Platform { get; set; } = DciPlatform.DCImanager6;

    /// <summary>DCImanager 5 only: a user name and password sent as authinfo in the body of every call, with no session (stateless).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AuthInfoSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential AuthInfo { get; set; } = PSCredential.Empty;

    /// <summary>openDCIM only: the UserID sent with -ApiKey in the UserID/APIKey headers.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ApiKeySet)]
    [ValidateNotNullOrEmpty]
    public string? UserId { get; set; }

    /// <summary>openDCIM only: the user's API key (kept in memory only, masked in traces and errors).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ApiKeySet)]
    [ValidateNotNull]
    public SecureString? ApiKey { get; set; }

    /// <summary>IMCO only: the client certificate (PEM, IMCO's cert.crt), with -KeyPath.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
    [ValidateNotNullOrEmpty]
    public string? CertificatePath { get; set; }

    /// <summary>IMCO only: the certificate's private key (PEM, IMCO's private/cert.key; an encrypted one takes -KeyPassword).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificatePathSet)]
    [ValidateNotNullOrEmpty]
    public string? KeyPath { get; set; }

    /// <summary>IMCO only: the API key download, a folder or zip holding ca_cert.pem, cert.crt and private/cert.key.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ApiKeyPathSet)]
    [ValidateNotNullOrEmpty]
    public string? ApiKeyPath { get; set; }

    /// <summary>IMCO only: a client certificate that has its private key (from a PFX, or Get-Item Cert:\CurrentUser\My\...).</summary>
    [Parameter(Mandatory = true, ParameterSetName = CertificateSet)]
    [ValidateNotNull]
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }

    /// <summary>IMCO only: the CA the server must chain to (ca_cert.pem); without it the system's trust is used.</summary>
    [Parameter(ParameterSetName = CertificatePathSet)]
    [Parameter(ParameterSetName = CertificateSet)]
    [ValidateNotNullOrEmpty]
    public string? CaCertificatePath { get; set; }

    /// <summary>IMCO only: the password of an encrypted private key (kept in memory only, never shown).</summary>
    [Parameter(ParameterSetName = CertificatePathSet)]
    [Parameter(ParameterSetName = ApiKeyPathSet)]
    [ValidateNotNull]
    public SecureString? KeyPassword { get; set; }

    /// <summary>IMCO only: the API version, v3 (default) or v2; an address ending in /v2 or /v3 says it too.</summary>
    [Parameter]
    [ValidateSet("v2", "v3")]
    public string? ApiVersion { get; set; }

    /// <summary>The panel address, e.g. https://dci.example.com (https:// is assumed when no scheme is given).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Uri { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = CredentialSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>A one-time login key (New-DciLoginKey, or auth/v4/user/{email}/key).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KeySet)]
    [ValidateNotNull]
    public SecureString? Key { get; set; }

    /// <summary>An existing session token or a long-lived API token (New-DciApiToken).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TokenSet)]
    [ValidateNotNull]
    public SecureString? Token { get; set; }

    /// <summary>A SecretManagement vault holding the credential (read at run time; nothing is written to disk).</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    /// <summary>The name of the PSCredential secret in -Vault.</summary>
    [Parameter(Mandatory = true, ParameterSetName = VaultSet)]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    /// <summary>Accept any TLS certificate for this connection only.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>
    /// Allow sending the password, key or token over plain http:// to a host that is not this machine
    /// (loopback addresses never need it). Without it such a connection is refused before anything is sent.
    /// </summary>
    [Parameter]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>Seconds one request may take before it is abandoned (default 100).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 100;

    /// <summary>Keep the current default connection; use this one only through -Connection.</summary>
    [Parameter]
    public SwitchParameter NotDefault { get; set; }

    /// <summary>Emit the connection object.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var options = new DciConnectionOptions
        {
            BaseUri = ParseBaseUri(Uri),
            SkipCertificateCheck = SkipCertificateCheck,
            AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
            Timeout = TimeSpan.FromSeconds(TimeoutSec),
            // Keep-alive sockets are pooled up to the largest -ThrottleLimit, so bulk work is never queued in the handler.
            MaxConnectionsPerServer = DciServerCmdlet.MaxThrottleLimit,
        };

        var certificateSets = ParameterSetName is CertificatePathSet or ApiKeyPathSet or CertificateSet;
        if (Platform == DciPlatform.Imco && !certificateSets)
            ThrowParameterError($"IMCO signs in with a client certificate: -ApiKeyPath <folder or zip>, -CertificatePath with -KeyPath, or -Certificate; -{ParameterSetName} is not IMCO's.", ParameterSetName, null);
        if (Platform != DciPlatform.Imco && certificateSets)
            ThrowParameterError($"-{ParameterSetName} is IMCO's sign-in (a client certificate): add -Platform Imco.", ParameterSetName, null);
        if (Platform != DciPlatform.Imco && MyInvocation.BoundParameters.ContainsKey(nameof(ApiVersion)))
            ThrowParameterError("-ApiVersion is IMCO's: add -Platform Imco.", nameof(ApiVersion), ApiVersion);
        if (Platform == DciPlatform.Imco)
        {
            ConnectImco(options);
            return;
        }
        if (Platform == DciPlatform.DCImanager5 && ParameterSetName is KeySet or TokenSet)
            ThrowParameterError($"DCImanager 5 signs in with -Credential (a session) or -AuthInfo (stateless); -{ParameterSetName} is DCImanager 6's.", ParameterSetName, null);
        if (Platform == DciPlatform.OpenDcim && ParameterSetName is not (CredentialSet or ApiKeySet or VaultSet))
            ThrowParameterError($"openDCIM signs in with -UserId and -ApiKey (the UserID/APIKey headers) or -Credential (HTTP Basic); -{ParameterSetName} is not openDCIM's.", ParameterSetName, null);
        if (Platform != DciPlatform.OpenDcim && ParameterSetName == ApiKeySet)
            ThrowParameterError("-UserId and -ApiKey are openDCIM's sign-in: add -Platform OpenDcim.", nameof(ApiKey), null);
        if (Platform != DciPlatform.DCImanager5 && ParameterSetName == AuthInfoSet)
            ThrowParameterError("-AuthInfo is DCImanager 5's stateless sign-in: add -Platform DCImanager5, or use -Credential.", nameof(AuthInfo), null);

        var credential = ParameterSetName switch { VaultSet => ReadVaultCredential(), AuthInfoSet => AuthInfo, ApiKeySet => PSCredential.Empty, _ => Credential };

        DciConnection connection;
        try
        {
            connection = Platform == DciPlatform.OpenDcim
                ? Call(ct => ParameterSetName == ApiKeySet
                    ? DciConnection.ConnectOpenDcimAsync(options, UserId!, new NetworkCredential("", ApiKey).Password, null, ct)
                    : DciConnection.ConnectOpenDcimAsync(options, "", null, credential.GetNetworkCredential(), ct))
                : Platform == DciPlatform.DCImanager5
                ? Call(ct => DciConnection.ConnectDci5Async(options, credential.GetNetworkCredential(), stateless: ParameterSetName == AuthInfoSet, ct))
                : ParameterSetName switch
            {
                KeySet => Call(ct => DciConnection.ConnectWithKeyAsync(options, new NetworkCredential("", Key).Password, ct)),
                TokenSet => Call(ct => DciConnection.ConnectWithTokenAsync(options, new NetworkCredential("", Token).Password, ct)),
                _ => Call(ct => DciConnection.ConnectAsync(options, credential.GetNetworkCredential(), ct)),
            };
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(DciErrors.FromException(ex, options.BaseUri));
            return;
        }

        DciConnectionStore.Current.Add(connection, makeDefault: !NotDefault);
        WriteVerboseLine($"Connected to {connection.Platform} {connection.BaseUri} as {connection.UserEmail}{(NotDefault ? "" : " (default connection)")}.");
        if (PassThru) WriteObject(connection);
    }

    /// <summary>IMCO: the certificate loaded in memory (paths resolved against the current location), then GET /vN/ping.</summary>
    private void ConnectImco(DciConnectionOptions options)
    {
        ImcoCredentials credentials;
        var password = KeyPassword is null ? null : new NetworkCredential("", KeyPassword).Password;
        try
        {
            credentials = ParameterSetName switch
            {
                ApiKeyPathSet => ImcoCredentials.FromApiKey(ResolvePath(ApiKeyPath!), password),
                CertificateSet => ImcoCredentials.FromCertificate(Certificate!, CaCertificatePath is null ? null : ResolvePath(CaCertificatePath)),
                _ => ImcoCredentials.FromPem(ResolvePath(CertificatePath!), ResolvePath(KeyPath!),
                    CaCertificatePath is null ? null : ResolvePath(CaCertificatePath), password),
            };
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(DciErrors.FromException(ex, Uri));
            return;
        }
        if (credentials.TrustedCaForServer is null)
            WriteVerboseLine("No CA certificate given: the IMCO server is checked against the system's trust.");

        DciConnection connection;
        try
        {
            connection = Call(ct => DciConnection.ConnectImcoAsync(options, credentials, ApiVersion, ct));
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowTerminatingError(DciErrors.FromException(ex, options.BaseUri));
            return;
        }
        DciConnectionStore.Current.Add(connection, makeDefault: !NotDefault);
        WriteVerboseLine($"Connected to {connection.Platform} {connection.BaseUri} (API {connection.Imco!.ApiVersion}) as {connection.UserEmail}{(NotDefault ? "" : " (default connection)")}.");
        if (PassThru) WriteObject(connection);
    }

    private string ResolvePath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Reads the credential through SecretManagement's Get-Secret, looked up at run time so the module has
    /// no dependency on it; the secret stays in memory only.
    /// </summary>
    private PSCredential ReadVaultCredential()
    {
        var getSecret = InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function);
        if (getSecret is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Connect-Dci -Vault needs the Microsoft.PowerShell.SecretManagement module (Get-Secret). Install it with: Install-PSResource Microsoft.PowerShell.SecretManagement"),
                "Dci.SecretManagementMissing", ErrorCategory.NotInstalled, Vault));
        }

        object? secret = null;
        try
        {
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddCommand(getSecret).AddParameter("Vault", Vault).AddParameter("Name", SecretName).AddParameter("ErrorAction", "Stop");
            secret = shell.Invoke().FirstOrDefault()?.BaseObject;
        }
        catch (Exception ex) when (ex is RuntimeException or InvalidOperationException)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"Could not read the secret '{SecretName}' from the vault '{Vault}': {ex.Message}", ex),
                "Dci.SecretNotFound", ErrorCategory.ObjectNotFound, SecretName));
        }

        if (secret is not PSCredential credential)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"The secret '{SecretName}' in the vault '{Vault}' is {(secret is null ? "empty" : "a " + secret.GetType().Name)}, not a PSCredential (user name and password)."),
                "Dci.SecretNotCredential", ErrorCategory.InvalidType, SecretName));
            throw new InvalidOperationException(); // not reached: ThrowTerminatingError throws
        }
        return credential;
    }

    private System.Uri ParseBaseUri(string text)
    {
        var candidate = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (!System.Uri.TryCreate(candidate, UriKind.Absolute, out var uri) ||
            (uri.Scheme != System.Uri.UriSchemeHttps && uri.Scheme != System.Uri.UriSchemeHttp) ||
            string.IsNullOrEmpty(uri.Host))
        {
            ThrowParameterError($"'{text}' is not an http or https address of a DCImanager panel.", nameof(Uri), text);
        }
        if (uri!.UserInfo.Length > 0)
        {
            // Neither the message nor the error's target may repeat what was given: it holds a password.
            var shown = new UriBuilder(uri) { UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Path);
            ThrowParameterError($"The address {shown} carries a user name or password: remove it and give the credential with -Credential.", nameof(Uri), shown);
        }
        return uri;
    }
}
