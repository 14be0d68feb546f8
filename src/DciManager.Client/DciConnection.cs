using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DciManager.Client.Auth;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Client.Platforms;
using DciManager.Client.Platforms.Dci5;
using DciManager.Client.Platforms.Imco;
using DciManager.Client.Platforms.OpenDcim;

namespace DciManager.Client;

/// <summary>
/// One authenticated session with one DCImanager 6. Thread-safe: one handler and HttpClient per
/// connection, the token is sent per request, and a password connection signs in again by itself.
/// </summary>
public sealed class DciConnection : IDisposable
{
    private readonly DciSession _session;
    private int _disposed;
    private IReadOnlyList<string> _roles = Array.Empty<string>();
    private ImcoCredentials? _imcoCredentials;

    private DciConnection(DciConnectionOptions options, DciSession session, DciPlatform platform = DciPlatform.DCImanager6,
        DciWirePolicy? policy = null, string? functionPath = null, string? imcoVersion = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseUri);
        Options = options;
        _session = session;
        Platform = platform;
        Transport = new DciTransport(options, session, policy);
        BaseUri = Transport.RootUri;
        Id = Guid.NewGuid();
        Servers = new DciServerApi(this);
        Users = new DciUserApi(this);
        Ip = new DciIpApi(this);
        Tasks = new DciTaskApi(this);
        Settings = new DciSettingApi(this);
        Auth = new DciAuthApi(this);
        OsTemplates = new DciOsTemplateApi(this);
        Inventory = new DciInventoryApi(this);
        if (platform == DciPlatform.DCImanager5)
        {
            Dci5 = new Dci5Client(this, functionPath ?? "dcimgr");
            ServerOps = Dci5;
            UserOps = Dci5;
            OsTemplateOps = Dci5;
            InventoryOps = Dci5;
        }
        else if (platform == DciPlatform.OpenDcim)
        {
            OpenDcim = new OpenDcimClient(this);
            ServerOps = OpenDcim;
            UserOps = OpenDcim;
            OsTemplateOps = OpenDcim;
        }
        else if (platform == DciPlatform.Imco)
        {
            // The common seams stay unset here: the IMCO cmdlets call connection.Imco, the others refuse the platform first.
            Imco = new ImcoClient(this, imcoVersion ?? "v3");
        }
        else
        {
            ServerOps = Servers;
            UserOps = Users;
            OsTemplateOps = OsTemplates;
            InventoryOps = Inventory;
        }
    }

    /// <summary>
    /// Signs in to DCImanager 5 (func=auth, a session that idles out after an hour and is renewed with the stored
    /// credential), or with <paramref name="stateless"/> sends authinfo=user:password in the body of every call.
    /// The address's path names the function path (/dcimgr when none is given; /manager/dcimgr works too).
    /// </summary>
    public static async Task<DciConnection> ConnectDci5Async(DciConnectionOptions options, NetworkCredential credential, bool stateless = false,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        if (string.IsNullOrWhiteSpace(credential.UserName)) throw new ArgumentException("The credential has no user name.", nameof(credential));
        var copy = new NetworkCredential(credential.UserName, credential.Password);
        var path = options.BaseUri.AbsolutePath.Trim('/');
        if (path.Length == 0) path = "dcimgr";
        var root = new Uri($"{options.BaseUri.Scheme}://{options.BaseUri.Authority}/");
        var dci5Options = options.WithAddress(root, "");
        var authInfo = stateless ? $"{copy.UserName}:{copy.Password}" : null;
        var session = new DciSession(stateless ? DciAuthMethod.AuthInfo : DciAuthMethod.Password, copy, authInfo,
            (transport, c, token) => Dci5Client.LoginAsync(transport, path, c, token));
        var connection = new DciConnection(dci5Options, session, DciPlatform.DCImanager5, new Dci5WirePolicy(authInfo), path);
        try
        {
            string level;
            if (stateless)
            {
                // No session: one cheap authenticated call proves the credential (func=auth with authinfo answers the level).
                var doc = await connection.Dci5!.CallAsync("auth", null, changes: false, ct).ConfigureAwait(false);
                level = doc.TryGetProperty("auth", out var a) ? Dci5Doc.Attribute(a, "level") ?? "" : "";
            }
            else
            {
                var token = await Dci5Client.LoginAsync(connection.Transport, path, copy, ct).ConfigureAwait(false);
                connection._session.SetToken(token);
                var doc = await connection.Dci5!.CallAsync("auth", null, changes: false, ct).ConfigureAwait(false);
                level = doc.TryGetProperty("auth", out var a) ? Dci5Doc.Attribute(a, "level") ?? "" : "";
            }
            connection.UserEmail = copy.UserName;
            connection._roles = level == "28" ? new[] { "@admin" } : new[] { "@user" };
            connection.ConnectedAt = DateTimeOffset.Now;
            return connection;
        }
        catch (DciApiException refused) when (refused.Kind == DciErrorKind.Authentication)
        {
            connection.Dispose();
            throw new DciSessionExpiredException($"DCImanager 5 refused the sign-in: {refused.ServerMessage}", refused);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to openDCIM (REST v1; the address names the API root, e.g. https://dcim.example.com/api/v1) with the
    /// UserID/APIKey headers (<paramref name="apiKey"/> given) or HTTP Basic (<paramref name="credential"/>), and checks
    /// the connection with one cheap GET: a refused key or password is an authentication error, never data.
    /// </summary>
    public static async Task<DciConnection> ConnectOpenDcimAsync(DciConnectionOptions options, string userId, string? apiKey,
        NetworkCredential? credential, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (credential is null && string.IsNullOrWhiteSpace(userId)) throw new ArgumentException("openDCIM needs a UserID with its APIKey.", nameof(userId));
        if (credential is null && apiKey is null) throw new ArgumentException("Give an APIKey, or a credential for HTTP Basic.", nameof(apiKey));
        var odOptions = options.WithAddress(options.BaseUri, "");
        OpenDcimWirePolicy policy;
        DciSession session;
        string user;
        if (credential is not null)
        {
            if (string.IsNullOrWhiteSpace(credential.UserName)) throw new ArgumentException("The credential has no user name.", nameof(credential));
            user = credential.UserName;
            policy = OpenDcimWirePolicy.ForBasic(credential.UserName, credential.Password);
            session = new DciSession(DciAuthMethod.Basic, null, credential.Password);
            session.AddSecret(policy.BasicValue);
        }
        else
        {
            user = userId.Trim();
            policy = OpenDcimWirePolicy.ForApiKey(user, apiKey!);
            session = new DciSession(DciAuthMethod.ApiKey, null, apiKey);
        }
        var connection = new DciConnection(odOptions, session, DciPlatform.OpenDcim, policy);
        try
        {
            // The smallest answer that still passes the authentication check.
            await connection.OpenDcim!.CallAsync(HttpMethod.Get, "datacenter", new[] { new KeyValuePair<string, string>("attributes", "DataCenterID") }, null, ct)
                .ConfigureAwait(false);
            connection.UserEmail = user;
            connection.ConnectedAt = DateTimeOffset.Now;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to IMCO (REST over mutual TLS) with the client certificate of <paramref name="credentials"/>, trusting for the
    /// server its CA only (the system's trust when it has none), and checks the connection with GET /vN/ping. The address may
    /// carry the version (https://clients.example.com/v3); it wins over <paramref name="apiVersion"/> (default v3), and the two
    /// must not disagree. The connection takes over <paramref name="credentials"/> and disposes them with itself.
    /// </summary>
    public static async Task<DciConnection> ConnectImcoAsync(DciConnectionOptions options, ImcoCredentials credentials, string? apiVersion = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        var (root, version) = ImcoAddress(options.BaseUri, apiVersion);
        var imcoOptions = options.WithAddress(root, version, credentials.Certificate, credentials.TrustedCa);
        var session = new DciSession(DciAuthMethod.Certificate, null, null);
        var connection = new DciConnection(imcoOptions, session, DciPlatform.Imco, new ImcoWirePolicy(credentials.Certificate), imcoVersion: version)
        {
            _imcoCredentials = credentials,
        };
        try
        {
            await connection.Transport.SendAsync(new DciRequest(HttpMethod.Get, "ping"), DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
            connection.UserEmail = credentials.CommonName;
            connection.ConnectedAt = DateTimeOffset.Now;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The address without its /vN, and the version: the address's when it names one, else the asked one, else v3.</summary>
    internal static (Uri Root, string Version) ImcoAddress(Uri address, string? apiVersion)
    {
        if (address.Scheme != Uri.UriSchemeHttps)
            throw new ArgumentException($"IMCO is reached over HTTPS only (mutual TLS): use https://{address.Authority}{address.AbsolutePath.TrimEnd('/')}.", nameof(address));
        var asked = apiVersion?.Trim().ToLowerInvariant();
        if (asked is not (null or "" or "v2" or "v3"))
            throw new ArgumentException($"'{apiVersion}' is not an IMCO API version this module speaks: v2 or v3.", nameof(apiVersion));
        var segments = address.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();
        string? inAddress = null;
        if (segments.Count > 0 && System.Text.RegularExpressions.Regex.IsMatch(segments[^1], "^[vV][0-9]+$"))
        {
            inAddress = segments[^1].ToLowerInvariant();
            if (inAddress is not ("v2" or "v3"))
                throw new ArgumentException($"The address names IMCO API {inAddress}; this module speaks v2 and v3.", nameof(address));
            segments.RemoveAt(segments.Count - 1);
        }
        if (inAddress is not null && !string.IsNullOrEmpty(asked) && asked != inAddress)
            throw new ArgumentException($"The address names API {inAddress} but -ApiVersion is {asked}: give one, or make them agree.", nameof(apiVersion));
        var basePath = segments.Count == 0 ? "/" : "/" + string.Join('/', segments) + "/";
        return (new Uri($"{address.Scheme}://{address.Authority}{basePath}"), inAddress ?? (string.IsNullOrEmpty(asked) ? "v3" : asked));
    }

    /// <summary>Signs in with e-mail and password (POST auth/v4/public/token); keeps the credential in memory to sign in again when the session expires.</summary>
    public static async Task<DciConnection> ConnectAsync(DciConnectionOptions options, NetworkCredential credential, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (string.IsNullOrWhiteSpace(credential.UserName)) throw new ArgumentException("The credential has no user name (e-mail).", nameof(credential));
        var copy = new NetworkCredential(credential.UserName, credential.Password);
        var connection = new DciConnection(options, new DciSession(DciAuthMethod.Password, copy, null));
        try
        {
            var answer = await DciAuthenticator.PasswordLoginAsync(connection.Transport, copy, ct).ConfigureAwait(false);
            connection._session.SetToken(answer.Token!);
            await connection.LoadIdentityAsync(copy.UserName, answer.Id.AsText(), ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Signs in with a one-time key (POST auth/v4/public/key). The session cannot be renewed without a new key.</summary>
    public static async Task<DciConnection> ConnectWithKeyAsync(DciConnectionOptions options, string key, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var connection = new DciConnection(options, new DciSession(DciAuthMethod.Key, null, key));
        try
        {
            var answer = await DciAuthenticator.KeyLoginAsync(connection.Transport, key.Trim(), ct).ConfigureAwait(false);
            connection._session.SetToken(answer.Token!);
            await connection.LoadIdentityAsync(null, answer.Id.AsText(), ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Uses an existing session or API token, validated with GET auth/v4/whoami.</summary>
    public static async Task<DciConnection> ConnectWithTokenAsync(DciConnectionOptions options, string token, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var session = new DciSession(DciAuthMethod.Token, null, null);
        session.SetToken(token.Trim());
        var connection = new DciConnection(options, session);
        try
        {
            await connection.LoadIdentityAsync(null, null, ct).ConfigureAwait(false);
            return connection;
        }
        catch (DciSessionExpiredException expired)
        {
            connection.Dispose();
            throw new DciSessionExpiredException("DCImanager did not accept the token: it is wrong, expired or revoked.", expired.InnerException);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task LoadIdentityAsync(string? fallbackEmail, string? fallbackId, CancellationToken ct)
    {
        try
        {
            var me = await Auth.WhoAmIAsync(ct).ConfigureAwait(false);
            if (me.Id <= 0 && string.IsNullOrWhiteSpace(me.Email))
                throw new DciApiException("GET auth/v4/whoami: the answer does not say who signed in (no id, no e-mail); the sign-in cannot be trusted.",
                    200, null, "The whoami answer does not say who signed in.", null, "GET", "auth/v4/whoami");
            UserEmail = me.Email ?? fallbackEmail;
            UserId = me.Id;
            _roles = me.Roles.ToArray();
        }
        catch (DciApiException ex) when (ex.HttpStatus is 404 or 405 && _session.Method != DciAuthMethod.Token)
        {
            // whoami is inferred for DCImanager; a panel without it still works, identity stays partial.
            UserEmail = fallbackEmail;
            UserId = long.TryParse(fallbackId, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        ConnectedAt = DateTimeOffset.Now;
    }

    public Guid Id { get; }

    /// <summary>The system this connection talks to.</summary>
    public DciPlatform Platform { get; }

    /// <summary>The panel's root address (scheme, host, port and base path), without the API prefix.</summary>
    public Uri BaseUri { get; }

    /// <summary>The panel's address as people write it (scheme, host, port, base path), for messages and confirmations.</summary>
    internal string PanelAddress => BaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/');

    public string? UserEmail { get; private set; }
    public long? UserId { get; private set; }
    public IReadOnlyList<string> Roles => _roles;
    public bool IsAdmin => _roles.Any(r => string.Equals(r, "@admin", StringComparison.OrdinalIgnoreCase));
    public DciAuthMethod AuthMethod => _session.Method;
    public DateTimeOffset ConnectedAt { get; private set; } = DateTimeOffset.Now;
    public bool IsOpen => Volatile.Read(ref _disposed) == 0;

    /// <summary>True when this is the default connection of the runspace that asks (the PowerShell module answers it).</summary>
    public bool IsDefault => IsDefaultResolver?.Invoke(this) ?? false;

    /// <summary>
    /// Set by the PowerShell module when it is imported: the default connection belongs to a runspace, which the engine
    /// does not know. A plain property rather than a types file: the module imports about 10 ms faster.
    /// </summary>
    internal static Func<DciConnection, bool>? IsDefaultResolver { get; set; }
    internal DciConnectionOptions Options { get; }

    /// <summary>How many times this connection signed in again after its session expired.</summary>
    public int ReloginCount => _session.ReloginCount;

    // The engine's API areas and options are for the module's cmdlets (and tests), not for the people who
    // look at a connection: Format-List * and ConvertTo-Json show who is connected where, not engine objects.
    internal DciServerApi Servers { get; }
    internal DciUserApi Users { get; }
    internal DciIpApi Ip { get; }
    internal DciTaskApi Tasks { get; }
    internal DciSettingApi Settings { get; }
    internal DciAuthApi Auth { get; }
    internal DciOsTemplateApi OsTemplates { get; }
    internal DciInventoryApi Inventory { get; }

    internal DciTransport Transport { get; }

    // The platform seam: what the cmdlets call. On DCImanager 6 these are the Api areas above; on DCImanager 5, Dci5.
    internal IDciServerOperations ServerOps { get; }
    internal IDciUserOperations UserOps { get; }
    internal IDciOsTemplateOperations OsTemplateOps { get; }
    internal IDciInventoryOperations InventoryOps { get; }

    /// <summary>The DCImanager 5 client (func= calls, flag polling); null on other platforms.</summary>
    internal Dci5Client? Dci5 { get; }

    /// <summary>The openDCIM client (inventory REST v1); null on other platforms.</summary>
    internal OpenDcimClient? OpenDcim { get; }

    /// <summary>The IMCO client (cloud servers and resources over mutual TLS); null on other platforms.</summary>
    internal ImcoClient? Imco { get; }

    internal IReadOnlyList<string?> KnownSecrets => _session.KnownSecrets;

    /// <summary>
    /// Calls any endpoint: <paramref name="path"/> like "dci/v3/server" (the API prefix is added), the body
    /// serialized as JSON (<c>{}</c> when null for POST). Returns the parsed JSON (an empty object for an empty body).
    /// </summary>
    public Task<JsonElement> InvokeAsync(HttpMethod method, string path, IReadOnlyDictionary<string, string?>? query = null,
        JsonNode? body = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        var request = new DciRequest(method, path);
        if (query is not null)
            foreach (var (name, value) in query)
                request.With(name, value);
        if (body is not null) request.WithJson(w => body.WriteTo(w));
        return Transport.SendAsync(request, DciJsonContext.Default.JsonElement, ct);
    }

    /// <summary>
    /// An API path as <see cref="InvokeAsync"/> sends it (leading '/' removed); an <see cref="ArgumentException"/>
    /// for a path that would leave the API ('..', '.', '\' or an empty segment), so callers can refuse it before any request.
    /// </summary>
    public static string NormalizeApiPath(string path) => DciRequest.NormalizePath(path);

    internal T Attach<T>(T item) where T : DciObject
    {
        item.Connection = this;
        return item;
    }

    /// <summary>Drops the token client-side (no logout endpoint is known) and releases the handler.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // In-flight calls are stopped first, so no answer is read (and masked) after the secrets are dropped.
        Transport.Dispose();
        _session.Close();
        _imcoCredentials?.Dispose();
    }

    public override string ToString() => $"{UserEmail ?? (UserId?.ToString(CultureInfo.InvariantCulture) ?? "?")} @ {PanelAddress}";
}
