using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using DciManager.Client.Auth;
using DciManager.Client.Models;
using Polly;
using Polly.Retry;

namespace DciManager.Client.Http;

/// <summary>
/// What came back from one attempt: status, media type and the body, or, for a success parsed straight
/// from the response stream, the parsed value and the first bytes of the body (for messages).
/// </summary>
internal sealed record RawResponse(int Status, string? Reason, string? MediaType, byte[] Body)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsParsed { get; init; }

    public object? Parsed { get; init; }

    /// <summary>Why parsing from the stream failed, when <see cref="Body"/> holds only the start of a longer body.</summary>
    public Exception? StreamParseError { get; init; }

    /// <summary>The body was longer than the limit: <see cref="Body"/> holds only its start.</summary>
    public bool Truncated { get; init; }

    /// <summary>The Retry-After of a 503 or 429 answer.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>For an answer the retries gave up on: how many tries were made and for how long.</summary>
    public string? RetrySummary { get; init; }
}

/// <summary>A transport failure of one attempt, classified for the retry rules.</summary>
internal sealed class DciTransientFailure : Exception
{
    public DciTransientFailure(string what, bool mayHaveBeenSent, bool retryable, Exception? inner, bool connectionClosed = false)
        : base(what, inner)
    {
        What = what;
        MayHaveBeenSent = mayHaveBeenSent;
        Retryable = retryable && !connectionClosed;
        ConnectionClosed = connectionClosed;
    }

    /// <summary>The connection was closed under the call (Disconnect-Dci from another runspace).</summary>
    public bool ConnectionClosed { get; }

    /// <summary>What the call fails with as it is, not as a transport fault (a refused certificate: an authentication error).</summary>
    public DciException? Final { get; init; }

    public string What { get; }
    public bool MayHaveBeenSent { get; }
    public bool Retryable { get; }
}

/// <summary>
/// The wire: one SocketsHttpHandler per connection, auth headers per request, the one Polly pipeline
/// (retry rules of architecture rule 7), re-login on 401, error mapping, tracing with redaction.
/// </summary>
internal sealed class DciTransport : IDisposable
{
    private static readonly ResiliencePropertyKey<CallState> s_stateKey = new("DciManager.CallState");
    private static readonly byte[] s_emptyObject = "{}"u8.ToArray();
    private const int MaxTracedBody = 8192;

    /// <summary>What is read of an error answer: enough for the envelope and a snippet, never a flood (or a decompression bomb).</summary>
    internal const int MaxErrorBodyBytes = 16 * 1024;

    private readonly DciConnectionOptions _options;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<RawResponse> _pipeline;
    private readonly string _prefix;
    private int _disposed;
    private int _certificateRejections;
    private System.Net.Security.SslPolicyErrors _lastCertificateErrors;
    private string? _lastServerCertificate;

    /// <summary>Answers this connection ever got: a TLS 1.3 refusal of the client certificate shows as a close before the first.</summary>
    private long _answers;

    /// <summary>Cancelled when the connection closes: in-flight calls end at once, and say why.</summary>
    private readonly CancellationTokenSource _closing = new();

    public DciTransport(DciConnectionOptions options, DciSession session, DciWirePolicy? policy = null)
    {
        _options = options;
        Session = session;
        Policy = policy ?? Dci6WirePolicy.Instance;
        if (options.Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "Timeout must be positive.");
        if (options.PageSize < 1) throw new ArgumentOutOfRangeException(nameof(options), "PageSize must be at least 1.");
        if (options.MaxResponseBytes < 4096) throw new ArgumentOutOfRangeException(nameof(options), "MaxResponseBytes must be at least 4096.");
        if (options.MaxConnectionsPerServer < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxConnectionsPerServer must be at least 1.");
        if (!options.BaseUri.IsAbsoluteUri || (options.BaseUri.Scheme != Uri.UriSchemeHttp && options.BaseUri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{options.BaseUri}' is not an http or https address.", nameof(options));
        if (options.BaseUri.UserInfo.Length > 0)
            throw new ArgumentException($"The address {WithoutUserInfo(options.BaseUri)} carries a user name or password: give the credential separately (Connect-Dci -Credential), never in the address.", nameof(options));
        if (options.BaseUri.Scheme == Uri.UriSchemeHttp && !options.AllowUnencryptedAuthentication && !IsLoopback(options.BaseUri))
            throw new ArgumentException($"Refusing to send a password, key or token to {options.BaseUri.Scheme}://{options.BaseUri.Authority} over unencrypted HTTP: use https://, or allow it explicitly with -AllowUnencryptedAuthentication.", nameof(options));

        var basePath = options.BaseUri.AbsolutePath.TrimEnd('/');
        RootUri = new Uri($"{options.BaseUri.Scheme}://{options.BaseUri.Authority}{basePath}/");
        _prefix = (options.ApiPrefix ?? "").Trim().Trim('/');

        _handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(50),
            MaxConnectionsPerServer = options.MaxConnectionsPerServer,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.Timeout < TimeSpan.FromSeconds(30) ? options.Timeout : TimeSpan.FromSeconds(30),
            UseCookies = false,
            UseProxy = true,
            AllowAutoRedirect = false,
            // Every request on the wire is counted against its call (the handler's own silent resends included).
            PlaintextStreamFilter = static (context, _) => ValueTask.FromResult<Stream>(new WireCountingStream(context.PlaintextStream)),
        };
        // This connection's handler only; never ServicePointManager or any process-wide callback. Without
        // -SkipCertificateCheck it accepts exactly what default validation accepts, and notes a refusal, so a failed
        // handshake can tell a bad certificate from a server that does not speak TLS at all.
        var skip = options.SkipCertificateCheck;
        var trusted = options.TrustedCaCertificates;
        _handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, presented, errors) =>
        {
            if (skip) return true;
            // A given CA replaces the system's trust for this handler: the server must chain to it, and only to it.
            if (trusted is not null) errors = ChainToGivenCa(certificate, presented, trusted, errors);
            if (errors == System.Net.Security.SslPolicyErrors.None) return true;
            _lastCertificateErrors = errors;
            _lastServerCertificate = certificate is null ? null : $"'{certificate.Subject}' issued by '{certificate.Issuer}'";
            Interlocked.Increment(ref _certificateRejections);
            return false;
        };
        if (options.ClientCertificate is { } clientCertificate)
        {
            _handler.SslOptions.ClientCertificates = new X509CertificateCollection { clientCertificate };
            // Offered whatever CAs the server lists as acceptable, so a refusal comes from the server, in words that name it.
            _handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }
        _http = new HttpClient(_handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("DciManager.PowerShell", ModuleVersion));
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var retry = options.Retry ?? new DciRetryOptions();
        _pipeline = new ResiliencePipelineBuilder<RawResponse>()
            .AddRetry(new RetryStrategyOptions<RawResponse>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay < TimeSpan.Zero ? TimeSpan.Zero : retry.BaseDelay,
                MaxDelay = retry.MaxDelay <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : retry.MaxDelay,
                // A 503/429 waits for the Retry-After the panel sent (ShouldRetry has checked that it fits the deadline),
                // else for the backoff, but never past the call's time limit.
                DelayGenerator = static args =>
                {
                    if (args.Outcome.Result is not { Status: 503 or 429 } answer) return new ValueTask<TimeSpan?>((TimeSpan?)null);
                    var state = args.Context.Properties.GetValue(s_stateKey, null!);
                    return new ValueTask<TimeSpan?>(state.SuspendedDelay(args.AttemptNumber, answer.RetryAfter));
                },
                ShouldHandle = static args =>
                {
                    var state = args.Context.Properties.GetValue(s_stateKey, null!);
                    return new ValueTask<bool>(state.ShouldRetry(args.Outcome, args.Context.CancellationToken));
                },
                OnRetry = static args =>
                {
                    var state = args.Context.Properties.GetValue(s_stateKey, null!);
                    DciTrace.Verbose($"{state.LastProblem}, retry {args.AttemptNumber + 1} in {(long)args.RetryDelay.TotalMilliseconds} ms");
                    return default;
                },
            })
            .Build();
    }

    public DciSession Session { get; }

    /// <summary>The platform's part of the wire: how the session and the body travel, and how a refused session looks.</summary>
    internal DciWirePolicy Policy { get; }

    /// <summary>A loopback host (localhost, 127.0.0.0/8, ::1): plain HTTP never leaves the machine.</summary>
    internal static bool IsLoopback(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    internal static string WithoutUserInfo(Uri uri) => new UriBuilder(uri) { UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Path);

    /// <summary>scheme://host:port/basepath/ (without the API prefix).</summary>
    public Uri RootUri { get; }

    public DciConnectionOptions Options => _options;

    internal static string ModuleVersion { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var asm = typeof(DciTransport).Assembly;
        var info = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(info))
        {
            var plus = info.IndexOf('+');
            return plus > 0 ? info[..plus] : info;
        }
        return asm.GetName().Version?.ToString(3) ?? "0.0.0";
    }

    /// <summary>Sends <paramref name="request"/> (retrying per the rules, re-logging in on 401 when possible) and parses the answer.</summary>
    public Task<T> SendAsync<T>(DciRequest request, JsonTypeInfo<T> typeInfo, CancellationToken ct) =>
        SendAsync(request, StreamParser(typeInfo), body => JsonSerializer.Deserialize(body, typeInfo), ct);

    /// <summary>
    /// Sends <paramref name="request"/> like <see cref="SendAsync{T}(DciRequest, JsonTypeInfo{T}, CancellationToken)"/>, with the
    /// platform's own reader of a success body: <paramref name="parseStream"/> reads it as it arrives (a long list is handed on row
    /// by row), <paramref name="parseWhole"/> reads a body that had to be read whole (traced with -Debug, or holding a secret).
    /// A reader's <see cref="JsonException"/> is reported like any unreadable body.
    /// </summary>
    public async Task<T> SendAsync<T>(DciRequest request, Func<Stream, CancellationToken, ValueTask<object?>> parseStream, Func<byte[], T?> parseWhole,
        CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0) throw new DciConnectionClosedException(RootUri, request.Method.Method, request.Path, inFlight: false);
        try
        {
            // A password or key the module sends may come back in an error ("password X is too weak").
            if (request.Body is { } sent)
                foreach (var secret in Redactor.SecretValuesIn(sent)) Session.AddSecret(secret);
            if (request.Form is { } form)
                foreach (var (name, value) in form)
                    if (Redactor.IsSecretName(name)) Session.AddSecret(value);
            var token = request.Authenticated ? Session.Token : null;
            var parse = parseStream;
            var raw = await ExecuteAsync(request, token, parse, ct).ConfigureAwait(false);
            if (request.Authenticated && Policy.IsSessionRejected(raw))
            {
                var denied = BuildError(request, raw);
                if (!Session.CanRelogin) throw new DciSessionExpiredException(Session.CannotReloginReason, denied);
                DciTrace.Verbose("Session expired or revoked: signing in again with the stored credential.");
                try
                {
                    await Session.RefreshAsync(this, token, ct).ConfigureAwait(false);
                }
                catch (DciApiException loginFailed)
                {
                    throw new DciSessionExpiredException(
                        $"The DCImanager session has expired and signing in again failed: {loginFailed.ServerMessage}. Run Connect-Dci again.", loginFailed);
                }
                catch (DciSessionExpiredException) { throw; }
                raw = await ExecuteAsync(request, Session.Token, parse, ct).ConfigureAwait(false);
                if (Policy.IsSessionRejected(raw)) throw new DciSessionExpiredException(null, BuildError(request, raw));
            }
            return Interpret(request, raw, parseWhole);
        }
        finally
        {
            if (request.Body is { } body) Array.Clear(body);
        }
    }

    private static Func<Stream, CancellationToken, ValueTask<object?>> StreamParser<T>(JsonTypeInfo<T> typeInfo) =>
        async (stream, ct) => await JsonSerializer.DeserializeAsync(stream, typeInfo, ct).ConfigureAwait(false);

    private async Task<RawResponse> ExecuteAsync(DciRequest request, string? token, Func<Stream, CancellationToken, ValueTask<object?>> parse,
        CancellationToken ct)
    {
        var state = new CallState(this, request, token) { ParseSuccess = parse };
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(s_stateKey, state);
        Outcome<RawResponse> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, st) =>
                {
                    try
                    {
                        return Outcome.FromResult(await st.Transport.AttemptAsync(st, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<RawResponse>(ex);
                    }
                },
                context,
                state).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outcome.Exception is null)
        {
            var result = outcome.Result!;
            if (result.Status == 404 && request.Method == HttpMethod.Delete && (state.EarlierAttemptMayHaveExecuted || state.WireRequests > state.Answered))
            {
                // The first DELETE did its work but its answer was lost; the retry finds nothing left to delete.
                DciTrace.Verbose($"DELETE {request.Path}: 404 on a retry after \"{state.LastProblem}\": the earlier attempt deleted it.");
                return new RawResponse(200, "OK (deleted by an earlier attempt)", "application/json", s_emptyObject);
            }
            if (result.Status is 503 or 429 && (state.Attempts > 1 || state.GaveUpBecause is not null))
                return result with { RetrySummary = state.GaveUpBecause ?? $"{state.Attempts} tries" };
            return result;
        }
        switch (outcome.Exception)
        {
            case DciTransientFailure { Final: { } final }:
                throw final;
            case DciTransientFailure { ConnectionClosed: true } failure when failure.MayHaveBeenSent && !request.IsIdempotent:
                throw new DciOutcomeUnknownException(request.Method.Method, request.Path, "the connection was closed (Disconnect-Dci) before the answer arrived", failure.InnerException);
            case DciTransientFailure { ConnectionClosed: true } failure:
                throw new DciConnectionClosedException(RootUri, request.Method.Method, request.Path, failure.MayHaveBeenSent, failure.InnerException);
            case DciTransientFailure failure when failure.MayHaveBeenSent && !request.IsIdempotent:
                throw new DciOutcomeUnknownException(request.Method.Method, request.Path, failure.What, failure.InnerException);
            case DciTransientFailure failure:
                throw new DciTransportException(request.Method.Method, request.Path, failure.What, Math.Max(state.Attempts, state.WireRequests), failure.InnerException);
            default:
                ExceptionDispatchInfo.Capture(outcome.Exception).Throw();
                throw outcome.Exception; // not reached
        }
    }

    private async Task<RawResponse> AttemptAsync(CallState state, CancellationToken ct)
    {
        if (_closing.IsCancellationRequested)
            throw new DciTransientFailure("the connection was closed", mayHaveBeenSent: false, retryable: false, null, connectionClosed: true);
        state.Attempts++;
        var certificateRejections = Volatile.Read(ref _certificateRejections);
        var request = state.Request;
        var relative = RelativeUrl(request);
        var display = "/" + relative;
        using var message = new HttpRequestMessage(request.Method, new Uri(RootUri, relative));
        Policy.Authenticate(message, request, state.Token);
        var created = Policy.CreateBody(request, request.Authenticated ? state.Token : null);
        var body = created?.Body;
        if (created is { } content)
        {
            message.Content = new ByteArrayContent(content.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(content.MediaType) { CharSet = "utf-8" };
        }
        if (DciTrace.Enabled) DciTrace.Debug(() => DescribeRequest(message, display, body));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _closing.Token);
        timeout.CancelAfter(_options.Timeout);
        var watch = Stopwatch.StartNew();
        HttpResponseMessage? response = null;
        try
        {
            WireCountingStream.CurrentCall.Value = state;
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            state.Answered++;
            Interlocked.Increment(ref _answers);
            var retryAfter = ReadRetryAfter(response);
            if (CanParseFromStream(state, response))
            {
                var parsed = await ParseFromStreamAsync(state, response, timeout.Token).ConfigureAwait(false);
                if (DciTrace.Enabled) DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → {parsed.Status} {parsed.Reason} ({watch.ElapsedMilliseconds} ms)");
                return parsed;
            }
            var success = (int)response.StatusCode is >= 200 and < 300;
            var (bytes, truncated) = await ReadBoundedAsync(response.Content, success ? _options.MaxResponseBytes : MaxErrorBodyBytes, readStartOfLonger: !success, timeout.Token).ConfigureAwait(false);
            var raw = new RawResponse((int)response.StatusCode, response.ReasonPhrase, response.Content.Headers.ContentType?.MediaType, bytes)
            {
                Truncated = truncated,
                RetryAfter = retryAfter,
            };
            if (DciTrace.Enabled)
            {
                DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → {raw.Status} {raw.Reason} ({watch.ElapsedMilliseconds} ms)");
                DciTrace.Debug(() => DescribeResponse(raw, request.AnswerHoldsSecret));
            }
            return raw;
        }
        catch (Exception ex) when (_closing.IsCancellationRequested && !ct.IsCancellationRequested && ex is not DciTransientFailure)
        {
            // Disconnect-Dci disposed the handler under this request: not a timeout, not a transport fault.
            if (DciTrace.Enabled) DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → the connection was closed ({watch.ElapsedMilliseconds} ms)");
            throw new DciTransientFailure("the connection was closed", mayHaveBeenSent: true, retryable: false, ex, connectionClosed: true);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            var what = response is null
                ? $"no answer within {Format(_options.Timeout)}"
                : $"the HTTP {(int)response.StatusCode} answer did not arrive completely within {Format(_options.Timeout)}";
            if (DciTrace.Enabled) DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → {what} ({watch.ElapsedMilliseconds} ms)");
            throw new DciTransientFailure(what, mayHaveBeenSent: true, retryable: true, new TimeoutException(what, ex));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && FindBudgetExceeded(ex))
        {
            // The handler tried to send the request once more than the call allows: stop here, with the true count.
            var what = state.LastProblem.Length > 0 ? state.LastProblem : "the connection was closed before the answer was complete";
            if (DciTrace.Enabled) DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → {what}; {state.WireRequests} requests sent, no more allowed");
            throw new DciTransientFailure(what, mayHaveBeenSent: true, retryable: false, ex);
        }
        catch (HttpRequestException ex)
        {
            var failure = Classify(ex, response, certificateRejections);
            if (DciTrace.Enabled) DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → {failure.What} ({watch.ElapsedMilliseconds} ms)");
            throw failure;
        }
        catch (IOException ex)
        {
            var what = (response is null ? "" : $"HTTP {(int)response.StatusCode} answer cut off: ") + DescribeIo(ex);
            if (DciTrace.Enabled) DciTrace.Verbose($"{request.Method} {ShowUrl(display)} → {what} ({watch.ElapsedMilliseconds} ms)");
            throw new DciTransientFailure(what, mayHaveBeenSent: true, retryable: true, ex);
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>
    /// A JSON success is parsed straight from the response stream (no copy of a whole list page). Bodies
    /// that are traced with -Debug, answers that carry a secret, and empty bodies are read whole instead,
    /// for the redaction and messages that need every byte.
    /// </summary>
    private bool CanParseFromStream(CallState state, HttpResponseMessage response) =>
        state.ParseSuccess is not null
        && (int)response.StatusCode is >= 200 and < 300
        && Policy.IsReadableMediaType(response.Content.Headers.ContentType?.MediaType)
        && response.Content.Headers.ContentLength is not 0
        && !state.Request.AnswerHoldsSecret
        && !DciTrace.DebugWanted;

    /// <summary>
    /// Reads at most <paramref name="limit"/> bytes of a body (decompressed, so a small gzip bomb inflates no
    /// further than that); a longer body is cut there and marked, and the rest is never read.
    /// </summary>
    private static async Task<(byte[] Body, bool Truncated)> ReadBoundedAsync(HttpContent content, int limit, bool readStartOfLonger, CancellationToken ct)
    {
        if (!readStartOfLonger && content.Headers.ContentLength is { } declared && declared > limit)
            return (Array.Empty<byte>(), true);
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var room = (int)Math.Min(chunk.Length, (long)limit + 1 - buffer.Length);
            var read = await stream.ReadAsync(chunk.AsMemory(0, room), ct).ConfigureAwait(false);
            if (read == 0) return (buffer.ToArray(), false);
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit) return (buffer.GetBuffer().AsSpan(0, limit).ToArray(), true);
        }
    }

    private async Task<RawResponse> ParseFromStreamAsync(CallState state, HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (response.Content.Headers.ContentLength is { } declared && declared > _options.MaxResponseBytes)
            return new RawResponse(status, response.ReasonPhrase, mediaType, Array.Empty<byte>()) { Truncated = true };
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var capture = new PrefixCaptureStream(body, 4096, _options.MaxResponseBytes);
        try
        {
            var value = await state.ParseSuccess!(capture, ct).ConfigureAwait(false);
            return new RawResponse(status, response.ReasonPhrase, mediaType, capture.Prefix) { IsParsed = true, Parsed = value };
        }
        catch (ResponseTooLargeException)
        {
            return new RawResponse(status, response.ReasonPhrase, mediaType, capture.Prefix) { Truncated = true };
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException or InvalidOperationException or DecoderFallbackException)
        {
            // A short body is read to its end, so the byte-level checks below judge it exactly as a read-whole body.
            if (!capture.WholeBodyCaptured)
                await capture.DrainAsync(ct).ConfigureAwait(false);
            return new RawResponse(status, response.ReasonPhrase, mediaType, capture.Prefix)
            {
                StreamParseError = capture.WholeBodyCaptured ? null : ex,
            };
        }
    }

    /// <summary>Names the host and port, and the likely cause: a refused port, a name that does not resolve, a bad certificate, or no TLS at all.</summary>
    private DciTransientFailure Classify(HttpRequestException ex, HttpResponseMessage? response, int certificateRejectionsBefore)
    {
        var endpoint = $"{RootUri.Host}:{RootUri.Port}";
        if (response is null)
        {
            switch (ex.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return new DciTransientFailure($"the host name '{RootUri.Host}' could not be resolved ({ex.Message})", mayHaveBeenSent: false, retryable: true, ex);
                case HttpRequestError.ConnectionError:
                    var refused = FindSocketError(ex) == SocketError.ConnectionRefused;
                    return new DciTransientFailure(refused
                            ? $"connection refused by {endpoint} (nothing listens on that port, or a firewall refuses it)"
                            : $"could not connect to {endpoint} ({ex.Message})",
                        mayHaveBeenSent: false, retryable: true, ex);
                case HttpRequestError.SecureConnectionError when Volatile.Read(ref _certificateRejections) != certificateRejectionsBefore
                                                                 && _options.TrustedCaCertificates is { } trusted:
                    return CertificateRefusal(ex,
                        $"the server certificate of {endpoint} ({_lastServerCertificate ?? "none shown"}) is not signed by the CA given for this connection ({DescribeCa(trusted)}; {_lastCertificateErrors}): it is not the server this API key is for, or the CA file is not its CA",
                        "ServerCertificateUntrusted");
                case HttpRequestError.SecureConnectionError when Volatile.Read(ref _certificateRejections) != certificateRejectionsBefore:
                    return new DciTransientFailure(
                        $"the TLS certificate of {endpoint} was not accepted ({_lastCertificateErrors}); if the panel uses a self-signed certificate, connect with -SkipCertificateCheck",
                        mayHaveBeenSent: false, retryable: false, ex);
                case HttpRequestError.SecureConnectionError when _options.ClientCertificate is not null:
                    return ClientCertificateRefusal(ex, endpoint);
                case HttpRequestError.SecureConnectionError:
                    // No certificate was even judged: the server did not answer in TLS, so -SkipCertificateCheck would not help.
                    return new DciTransientFailure(
                        $"the TLS handshake with {endpoint} failed before any certificate was shown ({ex.InnerException?.Message ?? ex.Message}); the port may serve plain HTTP: if so, use http://{endpoint}",
                        mayHaveBeenSent: false, retryable: false, ex);
            }
        }
        // TLS 1.3 sends the client certificate after the server's Finished: a refusal arrives as an alert on the first read.
        // Kestrel (among others) just closes such a connection: an end before any answer ever came from this server is read the same way.
        if (_options.ClientCertificate is not null && response is null && FindTlsAlert(ex)) return ClientCertificateRefusal(ex, endpoint);
        if (_options.ClientCertificate is not null && response is null && ex.HttpRequestError == HttpRequestError.ResponseEnded && Volatile.Read(ref _answers) == 0)
            return ClientCertificateRefusal(ex, endpoint, closedWithoutAlert: true);
        var what = ex.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => "the connection was closed before the answer was complete",
            HttpRequestError.InvalidResponse => "the answer was not valid HTTP",
            _ => DescribeIo(ex),
        };
        if (response is not null) what = $"HTTP {(int)response.StatusCode} answer cut off: {what}";
        return new DciTransientFailure(what, mayHaveBeenSent: true, retryable: true, ex);
    }

    /// <summary>The server ended the handshake over the certificate this connection offered: an authentication error naming it.</summary>
    private DciTransientFailure ClientCertificateRefusal(Exception ex, string endpoint, bool closedWithoutAlert = false)
    {
        var offered = DescribeCertificate(_options.ClientCertificate!);
        return CertificateRefusal(ex, closedWithoutAlert
                ? $"the server at {endpoint} closed the TLS connection before any answer, as a server does when it refuses the client certificate {offered}: it is not signed by a CA the server trusts, has expired or was revoked"
                : $"the server at {endpoint} refused the TLS handshake with the client certificate {offered}: it is not signed by a CA the server trusts, has expired or was revoked ({InnermostMessage(ex)})",
            "CertificateRefused");
    }

    private static DciTransientFailure CertificateRefusal(Exception ex, string what, string errorType)
    {
        var refusal = new DciApiException(char.ToUpperInvariant(what[0]) + what[1..] + ".", 0, null, what, null, "CONNECT", "", null, ex)
        {
            Kind = DciErrorKind.Authentication,
            ErrorType = errorType,
        };
        return new DciTransientFailure(what, mayHaveBeenSent: false, retryable: false, ex) { Final = refusal };
    }

    internal static string DescribeCertificate(X509Certificate2 certificate) =>
        $"'{certificate.Subject}' (expires {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm} UTC, issued by '{certificate.Issuer}', thumbprint {certificate.Thumbprint})";

    private static string DescribeCa(X509Certificate2Collection trusted) => string.Join(", ", trusted.Select(c => $"'{c.Subject}'"));

    /// <summary>An AuthenticationException (or OpenSSL's SSL error) under the failure: the peer ended TLS, not the socket.</summary>
    private static bool FindTlsAlert(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is System.Security.Authentication.AuthenticationException
                || ex.GetType().FullName is "Interop+OpenSsl+SslException" or "Interop+Crypto+OpenSslCryptographicException")
                return true;
        return false;
    }

    private static string InnermostMessage(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex.Message.TrimEnd('.');
    }

    /// <summary>Retry-After as seconds or an HTTP date, for 503 and 429 only; null when absent or unreadable.</summary>
    private static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if ((int)response.StatusCode is not (503 or 429) || response.Headers.RetryAfter is not { } header) return null;
        var wait = header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        return wait is { } w ? (w < TimeSpan.Zero ? TimeSpan.Zero : w) : null;
    }

    /// <summary>
    /// The server's chain judged against the given CA alone (custom root trust), through the intermediates the server sent
    /// in the handshake (<paramref name="presented"/>); name and availability errors stay as found.
    /// </summary>
    private static System.Net.Security.SslPolicyErrors ChainToGivenCa(X509Certificate? certificate, X509Chain? presented,
        X509Certificate2Collection trusted, System.Net.Security.SslPolicyErrors errors)
    {
        var others = errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
        if (certificate is null) return others | System.Net.Security.SslPolicyErrors.RemoteCertificateNotAvailable;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        // Intermediates only help build the path: trust still ends at the given CA, never at one the server sent.
        if (presented is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainPolicy.ExtraStore);
            foreach (var element in presented.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
        }
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf) ? others : others | System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors;
    }

    private static bool FindBudgetExceeded(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is WireBudgetExceededException) return true;
        return false;
    }

    private static SocketError? FindSocketError(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is SocketException se) return se.SocketErrorCode;
        return null;
    }

    private static string DescribeIo(Exception ex) => FindSocketError(ex) switch
    {
        SocketError.ConnectionReset => "connection reset",
        SocketError.ConnectionAborted => "connection aborted",
        SocketError.TimedOut => "connection timed out",
        SocketError.Shutdown => "connection shut down",
        null => ex.InnerException is IOException io ? io.Message : ex.Message,
        var other => $"connection error ({other})",
    };

    private static string FormatBytes(long bytes) =>
        bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MB" : bytes >= 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes} bytes";

    private static string Format(TimeSpan t) => t.TotalSeconds >= 1 ? $"{t.TotalSeconds:0.#} s" : $"{t.TotalMilliseconds:0} ms";

    private string RelativeUrl(DciRequest request)
    {
        var path = request.PathAndQuery();
        if (_prefix.Length == 0 || path.StartsWith(_prefix + "/", StringComparison.OrdinalIgnoreCase)) return path;
        return _prefix + "/" + path;
    }

    private string ShowUrl(string display)
    {
        string text;
        try { text = Uri.UnescapeDataString(display); } catch (UriFormatException) { text = display; }
        return Redactor.RedactUrl(text, Session.KnownSecrets);
    }

    private string DescribeRequest(HttpRequestMessage message, string display, byte[]? body)
    {
        var sb = new StringBuilder();
        sb.Append("→ ").Append(message.Method).Append(' ').Append(ShowUrl(display));
        foreach (var header in message.Headers)
            sb.Append("\n  ").Append(header.Key).Append(": ").Append(Redactor.RedactHeader(header.Key, string.Join(", ", header.Value)));
        if (body is not null) sb.Append("\n  body: ").Append(TraceBody(body));
        return Redactor.RedactKnown(sb.ToString(), Session.KnownSecrets);
    }

    private string DescribeResponse(RawResponse raw, bool holdsSecret)
    {
        var sb = new StringBuilder();
        sb.Append("← ").Append(raw.Status).Append(' ').Append(raw.Reason).Append(", ")
          .Append(raw.MediaType ?? "no content type").Append(", ").Append(raw.Body.Length).Append(" bytes");
        if (raw.Body.Length > 0) sb.Append("\n  body: ").Append(TraceBody(raw.Body, holdsSecret));
        return Redactor.RedactKnown(sb.ToString(), Session.KnownSecrets);
    }

    private string TraceBody(byte[] body, bool holdsSecret = false)
    {
        if (holdsSecret && !CanRedactFieldByField(body)) return SecretBodyNotShown(body);
        var text = Encoding.UTF8.GetString(body);
        if (holdsSecret) return Redactor.MaskAllStrings(text, Session.KnownSecrets);
        var redacted = Redactor.RedactJson(text, Session.KnownSecrets);
        return redacted.Length > MaxTracedBody ? redacted[..MaxTracedBody] + $"... ({redacted.Length - MaxTracedBody} more characters)" : redacted;
    }

    internal static bool IsJsonMediaType(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>A leading UTF-8 byte order mark, which RFC 8259 lets a parser ignore (System.Text.Json does not).</summary>
    private static byte[] WithoutBom(byte[] body) =>
        body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? body[3..] : body;

    /// <summary>Valid JSON whose root is an object or array, so the redactor can mask secret fields by name.</summary>
    private static bool CanRedactFieldByField(byte[] body)
    {
        body = WithoutBom(body);
        if (!Utf8.IsValid(body)) return false;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string SecretBodyNotShown(byte[] body) => $"({body.Length} bytes, not shown: this answer carries a secret)";

    private static bool IsBlank(byte[] body)
    {
        foreach (var b in body)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        return true;
    }

    private T Interpret<T>(DciRequest request, RawResponse raw, Func<byte[], T?> parseWhole)
    {
        // A 2xx the platform reads as a refusal was not executed: an error, never data and never "outcome unknown".
        if (raw.IsSuccess && !raw.IsParsed && Policy.ReadError(raw) is { } refusal) throw BuildPlatformError(request, raw, refusal);
        if (!raw.IsSuccess)
        {
            var error = BuildError(request, raw);
            if (raw.Status is 502 or 504 && !request.IsIdempotent)
                throw new DciOutcomeUnknownException(request.Method.Method, request.Path, $"HTTP {raw.Status} {raw.Reason} from a gateway", error);
            throw error;
        }

        if (raw.IsParsed && raw.Parsed is T parsed) return parsed;

        var blank = IsBlank(raw.Body);
        var body = blank ? s_emptyObject : WithoutBom(raw.Body);
        string? problem = null;
        Exception? inner = null;
        if (raw.Truncated)
        {
            problem = $"HTTP {raw.Status} with a body larger than the {FormatBytes(_options.MaxResponseBytes)} one answer may have (MaxResponseBytes)";
        }
        else if (blank && RequiresBody(typeof(T)))
        {
            // An empty list or identity would read as "nothing there": the panel must say so, not stay silent.
            problem = $"HTTP {raw.Status}: the panel returned no body";
        }
        else if (raw.StreamParseError is { } streamError)
        {
            problem = streamError switch
            {
                JsonException json => $"HTTP {raw.Status} with a body that is not valid JSON ({ShortJsonError(json)})",
                System.Xml.XmlException xml => $"HTTP {raw.Status} with a body that is not a readable XML document ({xml.Message.TrimEnd('.')})",
                _ => $"HTTP {raw.Status} with a body that could not be read ({streamError.Message})",
            };
            inner = streamError;
        }
        else if (raw.IsParsed)
        {
            problem = $"HTTP {raw.Status} with a JSON null body";
        }
        else if (raw.MediaType is not null && !Policy.IsReadableMediaType(raw.MediaType) && !ReferenceEquals(body, s_emptyObject))
        {
            problem = $"HTTP {raw.Status} with a {raw.MediaType} body instead of JSON";
        }
        else if (!Utf8.IsValid(body))
        {
            // JSON is UTF-8; System.Text.Json would only notice when a string is read (InvalidOperationException).
            problem = $"HTTP {raw.Status} with a body that is not valid UTF-8";
        }
        else
        {
            try
            {
                var value = parseWhole(body);
                if (value is not null) return value;
                problem = $"HTTP {raw.Status} with a JSON null body";
            }
            catch (JsonException ex)
            {
                problem = $"HTTP {raw.Status} with a body that is not valid JSON ({ShortJsonError(ex)})";
                inner = ex;
            }
            catch (System.Xml.XmlException ex)
            {
                problem = $"HTTP {raw.Status} with a body that is not a readable XML document ({ex.Message.TrimEnd('.')})";
                inner = ex;
            }
        }

        var snippet = MakeSnippet(request, raw);
        var apiError = new DciApiException(
            Redactor.RedactKnown($"{request.Method} {request.Path}: {problem}: {snippet}", Session.KnownSecrets),
            raw.Status, null, problem, null, request.Method.Method, request.Path, snippet, inner);
        if (!request.IsIdempotent)
            throw new DciOutcomeUnknownException(request.Method.Method, request.Path, $"the answer could not be read ({problem})", apiError);
        throw apiError;
    }

    /// <summary>Answers that must carry a body: lists and objects (an action's or a raw call's empty answer is <c>{}</c>).</summary>
    private static bool RequiresBody(Type type) =>
        typeof(DciObject).IsAssignableFrom(type) || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(DciList<>));

    private static JsonElement? ParseElement(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(json, DciJsonContext.Default.String);
        }
    }

    private static string ShortJsonError(JsonException ex)
    {
        var text = ex.Message;
        var cut = text.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0) text = text[..cut];
        return ex.LineNumber is { } line ? $"{text.TrimEnd('.')} at line {line + 1}, byte {ex.BytePositionInLine}" : text.TrimEnd('.');
    }

    private string MakeSnippet(DciRequest request, RawResponse raw)
    {
        if (raw.Body.Length == 0) return "(empty body)";
        // A 2xx answer of a login or token call that could not be read may still hold the secret, in any shape.
        if (request.AnswerHoldsSecret && raw.IsSuccess) return SecretBodyNotShown(raw.Body);
        var text = Encoding.UTF8.GetString(raw.Body, 0, Math.Min(raw.Body.Length, 4096));
        var title = text.IndexOf("<title", StringComparison.OrdinalIgnoreCase);
        if (title > 0) text = text[title..];
        return Redactor.Snippet(text, 200, Session.KnownSecrets);
    }

    /// <summary>The exception for a non-success answer: envelope fields when the body has them, a snippet otherwise.</summary>
    internal DciApiException BuildError(DciRequest request, RawResponse raw)
    {
        if (Policy.ReadError(raw) is { } platformError) return BuildPlatformError(request, raw, platformError);
        int? code = null;
        string? msg = null;
        JsonElement? value = null;
        var parsed = false;
        if (raw.Body.Length > 0 && (IsJsonMediaType(raw.MediaType) || raw.MediaType is null) && Utf8.IsValid(raw.Body))
        {
            try
            {
                var envelope = JsonSerializer.Deserialize(WithoutBom(raw.Body), DciJsonContext.Default.ErrorEnvelope);
                if (envelope is not null && (envelope.Error is not null || envelope.Code is not null || envelope.Msg is not null))
                {
                    var c = envelope.Error?.Code ?? envelope.Code;
                    code = c is null ? null : (int)c.Value;
                    msg = (envelope.Error?.Msg ?? envelope.Msg).AsText();
                    var v = envelope.Error?.Value ?? envelope.Value;
                    value = v is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } ? v : null;
                    parsed = true;
                }
            }
            catch (JsonException) { }
        }

        var status = $"HTTP {raw.Status}{(string.IsNullOrEmpty(raw.Reason) ? "" : " " + raw.Reason)}";
        var gaveUp = raw.RetrySummary is null ? "" : $"; gave up: {raw.RetrySummary}";
        if (parsed)
        {
            msg = Redactor.RedactText(string.IsNullOrWhiteSpace(msg) ? status : msg, Session.KnownSecrets);
            var redactedValue = value is { } v ? Redactor.RedactJson(v.GetRawText(), Session.KnownSecrets) : null;
            var detail = redactedValue is null ? "" : " " + redactedValue;
            var text = $"{request.Method} {request.Path}: {msg}{detail} ({status}{(code is null ? "" : $", code {code}")}){gaveUp}";
            // Value is exposed (and serialized by Export-Clixml): it holds the redacted copy, never what the server echoed.
            return new DciApiException(text, raw.Status, code, msg, redactedValue is null ? null : ParseElement(redactedValue), request.Method.Method, request.Path);
        }

        var snippet = MakeSnippet(request, raw);
        var what = raw.Body.Length == 0
            ? $"{status} with an empty body"
            : $"{status} with a {raw.MediaType ?? "untyped"} body: {snippet}";
        return new DciApiException($"{request.Method} {request.Path}: {what}{gaveUp}", raw.Status, null, what, null,
            request.Method.Method, request.Path, raw.Body.Length == 0 ? null : snippet);
    }

    private DciApiException BuildPlatformError(DciRequest request, RawResponse raw, DciPlatformError error)
    {
        var message = Redactor.RedactText(error.Message, Session.KnownSecrets);
        var status = $"HTTP {raw.Status}{(string.IsNullOrEmpty(raw.Reason) ? "" : " " + raw.Reason)}";
        var gaveUp = raw.RetrySummary is null ? "" : $"; gave up: {raw.RetrySummary}";
        return new DciApiException($"{request.Method} {request.Path}: {message} ({status}){gaveUp}", raw.Status, null, message, null,
            request.Method.Method, request.Path, raw.Body.Length == 0 ? null : MakeSnippet(request, raw))
        {
            Kind = error.Kind,
            ErrorType = error.ErrorType,
        };
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _closing.Cancel();
        _http.Dispose();
    }

    /// <summary>Per-call retry bookkeeping read by the pipeline's predicates.</summary>
    private sealed class CallState(DciTransport transport, DciRequest request, string? token) : IWireBudget
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public DciTransport Transport { get; } = transport;
        public DciRequest Request { get; } = request;
        public string? Token { get; } = token;

        /// <summary>Parses a JSON success body from the response stream into the caller's model.</summary>
        public Func<Stream, CancellationToken, ValueTask<object?>>? ParseSuccess { get; init; }

        public int Attempts { get; set; }

        /// <summary>Requests that went on the wire for this call (the handler's silent resends included).</summary>
        public int WireRequests { get; private set; }

        /// <summary>Requests that got an answer (status line and headers).</summary>
        public int Answered { get; set; }

        /// <summary>
        /// Requests without an answer are bounded: a GET or DELETE by MaxTransientAttempts, a POST by one, so a
        /// POST is never sent twice unless the server answered the first (503: not executed).
        /// </summary>
        public bool TryStartWireRequest()
        {
            var retry = Transport._options.Retry ?? new DciRetryOptions();
            var limit = Request.IsIdempotent ? Math.Max(1, retry.MaxTransientAttempts) : 1;
            if (WireRequests - Answered >= limit) return false;
            WireRequests++;
            return true;
        }
        public int TransientFailures { get; private set; }

        /// <summary>How long 503/429 answers are retried: the platform's wake-up allowance, within the call's time limit.</summary>
        private TimeSpan SuspendedDeadline
        {
            get
            {
                var retry = Transport._options.Retry ?? new DciRetryOptions();
                return retry.SuspendedMaxWait < Transport._options.Timeout ? retry.SuspendedMaxWait : Transport._options.Timeout;
            }
        }

        /// <summary>The wait before the next try after a 503/429: Retry-After, else jittered exponential backoff, cut at the deadline.</summary>
        public TimeSpan SuspendedDelay(int attemptNumber, TimeSpan? retryAfter)
        {
            var retry = Transport._options.Retry ?? new DciRetryOptions();
            var delay = retryAfter ?? TimeSpan.FromTicks((long)Math.Min(
                Math.Max(retry.MaxDelay.Ticks, 1),
                Math.Max(retry.BaseDelay.Ticks, 0) * Math.Pow(2, Math.Min(attemptNumber, 30)) * (0.5 + Random.Shared.NextDouble() / 2)));
            var left = SuspendedDeadline - Stopwatch.GetElapsedTime(_started);
            return delay < left ? delay : left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }

        /// <summary>Why the 503/429 retries stopped (tries, time), for the final error.</summary>
        public string? GaveUpBecause { get; private set; }

        /// <summary>A failed earlier attempt may have reached the server and been executed (its answer was lost).</summary>
        public bool EarlierAttemptMayHaveExecuted { get; private set; }
        public string LastProblem { get; private set; } = "";

        public bool ShouldRetry(Outcome<RawResponse> outcome, CancellationToken ct)
        {
            if (ct.IsCancellationRequested) return false;
            var retry = Transport._options.Retry ?? new DciRetryOptions();
            if (outcome.Exception is not null)
            {
                if (outcome.Exception is not DciTransientFailure failure || !failure.Retryable) return false;
                TransientFailures++;
                LastProblem = failure.What;
                if (failure.MayHaveBeenSent) EarlierAttemptMayHaveExecuted = true;
                if (failure.MayHaveBeenSent && !Request.IsIdempotent) return false;
                return TransientFailures < retry.MaxTransientAttempts && WireRequests - Answered < retry.MaxTransientAttempts;
            }

            var raw = outcome.Result!;
            switch (raw.Status)
            {
                case 503 or 429:
                {
                    // Not executed: safe for every method, for as long as the platform may take to wake up, but
                    // never beyond the call's time limit (-TimeoutSec), nor sooner than Retry-After asks.
                    LastProblem = $"{raw.Status} {raw.Reason}";
                    var deadline = SuspendedDeadline;
                    var elapsed = Stopwatch.GetElapsedTime(_started);
                    if (elapsed >= deadline)
                    {
                        GaveUpBecause = $"still {raw.Status} after {Attempts} tries in {Format(elapsed)} (time limit {Format(deadline)})";
                        return false;
                    }
                    if (raw.RetryAfter is { } after && elapsed + after > deadline)
                    {
                        GaveUpBecause = $"the panel asked to retry after {Format(after)}, beyond the time limit of {Format(deadline)}; {Attempts} tries in {Format(elapsed)}";
                        return false;
                    }
                    return true;
                }
                case 502 or 504 when Request.IsIdempotent:
                    TransientFailures++;
                    EarlierAttemptMayHaveExecuted = true;
                    LastProblem = $"{raw.Status} {raw.Reason}";
                    return TransientFailures < retry.MaxTransientAttempts;
                default:
                    return false;
            }
        }
    }
}
