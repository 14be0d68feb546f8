using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using DciManager.Simulator.Imco;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DciManager.Simulator;

/// <summary>A running simulator (Kestrel on loopback by default).</summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private const string JsonContentType = "application/json; charset=utf-8";

    private readonly WebApplication _app;
    private readonly SimulatorOptions _options;
    private readonly Api _api;
    private readonly ISimulatedPlatform _platform;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private SimulatorHost(WebApplication app, SimulatorOptions options, SimulatorState state, X509Certificate2? cert, string adminPassword,
        ImcoCredentials? imcoCredentials)
    {
        _app = app;
        _options = options;
        State = state;
        _api = new Api(state);
        _platform = options.Platform switch
        {
            SimulatedPlatform.DCImanager6 => new Dci6Platform(this),
            SimulatedPlatform.OpenDcim => new OpenDcim.OpenDcimSimulation(options, state),
            SimulatedPlatform.DCImanager5 => new Dci5.Dci5Platform(state),
            SimulatedPlatform.Imco => new ImcoPlatform(new ImcoStore(state, options)),
            _ => throw new NotSupportedException($"The {options.Platform} mode is not built yet."),
        };
        _certificate = cert;
        ImcoCredentials = imcoCredentials;
        AdminEmail = options.AdminEmail;
        AdminPassword = adminPassword;
        BaseAddress = new Uri("http://127.0.0.1/");
    }

    /// <summary>Actual bound address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; }
    public string AdminEmail { get; }
    public string AdminPassword { get; }
    /// <summary>In-process control for tests.</summary>
    public SimulatorState State { get; }
    /// <summary>The openDCIM mode's own test view (seeded accounts, cookie count); null in other modes.</summary>
    public OpenDcim.OpenDcimSimulation? OpenDcim => _platform as OpenDcim.OpenDcimSimulation;
    /// <summary>The generated self-signed certificate when <see cref="SimulatorOptions.Https"/> is set.</summary>
    public X509Certificate2? Certificate => _certificate;
    /// <summary>IMCO mode: the CA, server certificate and client API key folder the server requires certificates from.</summary>
    public ImcoCredentials? ImcoCredentials { get; }

    public static async Task<SimulatorHost> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var adminPassword = string.IsNullOrEmpty(options.AdminPassword) ? RandomPassword() : options.AdminPassword;
        var state = new SimulatorState(options, adminPassword);

        var urls = options.Urls;
        // IMCO is served over mutual TLS only.
        var imco = options.Platform == SimulatedPlatform.Imco ? ImcoCredentials.CreateOrReuse(options.CredentialsDirectory) : null;
        if (options.Https || imco is not null) urls = string.Join(';', urls.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? "https://" + u["http://".Length..] : u));
        var cert = imco is not null ? null : urls.Contains("https://", StringComparison.OrdinalIgnoreCase) ? CreateCertificate() : null;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>() });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole();
        builder.Logging.SetMinimumLevel(options.Quiet ? LogLevel.Warning : LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", options.Quiet ? LogLevel.Error : LogLevel.Information);
        // A failed start is rethrown to the caller, which says it in one line; the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseUrls(urls);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = 4 * 1024 * 1024;
            // Runs before TLS (Kestrel adds the HTTPS middleware after the endpoint defaults).
            k.ConfigureEndpointDefaults(l => l.Use(next => connection => { state.CountConnection(); return next(connection); }));
            if (cert is not null) k.ConfigureHttpsDefaults(h => h.ServerCertificate = cert);
            if (imco is not null) k.ConfigureHttpsDefaults(h =>
            {
                h.ServerCertificate = imco.ServerCertificate;
                h.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                h.CheckCertificateRevocation = false;
                // Per endpoint, against the simulator's own CA only: a wrong-CA or expired certificate fails the handshake.
                h.ClientCertificateValidation = (certificate, _, _) => imco.IsTrustedClient(certificate);
            });
        });
        var app = builder.Build();
        var host = new SimulatorHost(app, options, state, cert, adminPassword, imco);
        app.Run(host.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? urls.Split(';')[0];
        var uri = new UriBuilder(first);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*") uri.Host = "127.0.0.1";
        uri.Path = "/";
        host.BaseAddress = uri.Uri;
        state.ResetIdleClock();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        try { await _app.StopAsync().ConfigureAwait(false); } catch (OperationCanceledException) { }
        await _app.DisposeAsync().ConfigureAwait(false);
        _certificate?.Dispose();
        ImcoCredentials?.Dispose();
        _stopping.Dispose();
    }

    private static string RandomPassword()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        return string.Create(16, 0, (span, _) => { for (int i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]; });
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, false));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
#pragma warning disable SYSLIB0057
        return new X509Certificate2(cert.Export(X509ContentType.Pfx), (string?)null, X509KeyStorageFlags.Exportable);
#pragma warning restore SYSLIB0057
    }

    // ------------------------------------------------------------------ pipeline

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.StartsWith("/_sim", StringComparison.Ordinal) && (path.Length == 5 || path[5] == '/'))
        {
            if (!_options.EnableControl) { await WriteError(ctx, 404, Inferred.CodeNotFound, $"Unknown path {path}", null); return; }
            await Control.HandleAsync(ctx, State, path);
            return;
        }

        State.CountRequest();
        var aborted = ctx.RequestAborted;
        try
        {
            if (_options.Latency > TimeSpan.Zero) await Task.Delay(_options.Latency, aborted);

            var rule = State.Faults.TryTake(ctx.Request.Method, path);
            bool buffer = false;
            if (rule is not null)
            {
                switch (rule.Kind)
                {
                    case FaultKind.Suspended503:
                        await _platform.WriteFaultAsync(ctx, rule.StatusCode > 0 ? rule.StatusCode : 503, "Service is suspended, repeat the request later");
                        return;
                    case FaultKind.Status500:
                        await _platform.WriteFaultAsync(ctx, rule.StatusCode > 0 ? rule.StatusCode : 500, "Internal server error (injected)");
                        return;
                    case FaultKind.Html502:
                        await WriteText(ctx, rule.StatusCode > 0 ? rule.StatusCode : 502, "text/html",
                            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
                        return;
                    case FaultKind.NonJsonBody:
                        await WriteText(ctx, rule.StatusCode > 0 ? rule.StatusCode : 200, "text/plain; charset=utf-8", "Service temporarily unavailable. Please try again later.\n");
                        return;
                    case FaultKind.ResetBeforeProcessing:
                        ctx.Abort();
                        return;
                    case FaultKind.Latency:
                        await Task.Delay(rule.Delay, aborted);
                        break;
                    case FaultKind.Stall:
                        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token))
                        {
                            try { await Task.Delay(rule.Delay > TimeSpan.Zero ? rule.Delay : Inferred.DefaultStall, linked.Token); }
                            catch (OperationCanceledException) { ctx.Abort(); return; }
                        }
                        break;
                    default:
                        buffer = true;
                        break;
                }
            }

            if (!buffer)
            {
                await _platform.ProcessAsync(ctx, path);
                return;
            }

            var original = ctx.Response.Body;
            var ms = new MemoryStream();
            ctx.Response.Body = ms;
            try { await _platform.ProcessAsync(ctx, path); }
            finally { ctx.Response.Body = original; }
            var bytes = ms.ToArray();
            switch (rule!.Kind)
            {
                case FaultKind.ResetAfterProcessing:
                    ctx.Abort();
                    return;
                case FaultKind.TruncatedJson:
                    bytes = bytes.AsSpan(0, bytes.Length / 2).ToArray();
                    break;
                case FaultKind.MalformedJson:
                    var garbage = "@@garbage@@"u8.ToArray();
                    bytes = bytes.Length == 0 ? garbage : bytes.Take(1).Concat(garbage).Concat(bytes.Skip(1)).ToArray();
                    break;
                case FaultKind.WrongContentType:
                    ctx.Response.ContentType = "text/html; charset=utf-8";
                    break;
            }
            ctx.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested || _stopping.IsCancellationRequested)
        {
            // client went away
        }
    }

    /// <summary>The start-up banner of this instance's mode (Program prints it).</summary>
    public IEnumerable<string> Banner() => _platform.Banner(this, _options);

    /// <summary>The DCImanager 6 mode: the documented dci/v3, ip/v3 and auth/v4 API.</summary>
    private sealed class Dci6Platform : ISimulatedPlatform
    {
        private readonly SimulatorHost _host;

        public Dci6Platform(SimulatorHost host) => _host = host;

        public Task ProcessAsync(HttpContext ctx, string path) => _host.ProcessDci6Async(ctx, path);

        public Task WriteFaultAsync(HttpContext ctx, int status, string message) =>
            WriteError(ctx, status, status == 503 ? Inferred.CodeSuspended : Inferred.CodeInternal, message, null);

        public IEnumerable<string> Banner(SimulatorHost host, SimulatorOptions options)
        {
            var url = host.BaseAddress.ToString().TrimEnd('/');
            yield return $"DCImanager 6 simulator listening on {url}";
            yield return $"Admin: {host.AdminEmail}";
            yield return $"Password: {host.AdminPassword}";
            yield return $"Users: user01@example.com .. user08@example.com, password {options.UserPassword}";
            yield return $"Servers: {host.State.ServerCount}; control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}";
            yield return $"Connect-Dci -Uri {url} -Credential (Get-Credential {host.AdminEmail}){(options.Https ? " -SkipCertificateCheck" : "")}";
        }
    }

    private async Task ProcessDci6Async(HttpContext ctx, string path)
    {
        ApiResult result;
        try
        {
            if (!State.Admit())
            {
                await WriteError(ctx, 503, Inferred.CodeSuspended, "The platform is suspended after a period of inactivity and is waking up; repeat the request", null);
                return;
            }
            var (route, ps) = _api.Match(ctx.Request.Method, path);
            var c = new Ctx { Method = ctx.Request.Method, P = ps, Query = ctx.Request.Query };
            Exception? bodyError = null;
            if (HttpMethods.IsPost(ctx.Request.Method))
            {
                (c.Body, bodyError) = await ReadBodyAsync(ctx);
            }
            var token = ctx.Request.Headers["x-xsrf-token"].ToString();
            if (string.IsNullOrEmpty(token)) token = ctx.Request.Cookies["ses6"] ?? "";
            result = _api.Execute(route, c, token, bodyError);
        }
        catch (ApiException e)
        {
            await WriteError(ctx, e.Status, e.Code, e.Message, e.Field);
            return;
        }
        ctx.Response.StatusCode = result.Status;
        ctx.Response.ContentType = JsonContentType;
        ctx.Response.ContentLength = result.Body.WrittenCount;
        await ctx.Response.Body.WriteAsync(result.Body.WrittenMemory, ctx.RequestAborted);
    }

    private static async Task<(JsonElement, Exception?)> ReadBodyAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
        var bytes = ms.GetBuffer().AsMemory(0, (int)ms.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty) return (EmptyObject, null);
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return (default, ApiException.BadRequest("body", "Request body must be a JSON object"));
            return (doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, ApiException.BadRequest("body", "Invalid JSON in request body: " + e.Message));
        }
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    internal static async Task WriteError(HttpContext ctx, int status, int code, string msg, string? field)
    {
        var body = Json.Error(code, msg, field);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = JsonContentType;
        ctx.Response.ContentLength = body.WrittenCount;
        await ctx.Response.Body.WriteAsync(body.WrittenMemory, ctx.RequestAborted);
    }

    internal static async Task WriteText(HttpContext ctx, int status, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    internal static async Task WriteJson(HttpContext ctx, int status, ArrayBufferWriter<byte> body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = JsonContentType;
        ctx.Response.ContentLength = body.WrittenCount;
        await ctx.Response.Body.WriteAsync(body.WrittenMemory, ctx.RequestAborted);
    }
}
