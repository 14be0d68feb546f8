using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DciManager.Client.Tests;

/// <summary>One request as the hostile server read it off the socket.</summary>
internal sealed record HostileRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body, int ConnectionNumber)
{
    public string Path => Target.Split('?')[0];
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A raw HTTP/1.1 server on 127.0.0.1 that answers what a test tells it to, keep-alive included, and records
/// every request that reached it (the ground truth of what went on the wire). Login and whoami answer like a
/// panel unless the handler takes them; the handler returns false to close the connection after its answer.
/// </summary>
internal sealed class HostileServer : IAsyncDisposable
{
    public const string Token = "hostile-session-token-5c1d";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<HostileRequest, Stream, CancellationToken, Task<bool>?> _handler;
    private readonly Task _accepting;
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private int _connectionCount;

    private readonly X509Certificate2? _tlsCertificate;
    private SslStreamCertificateContext? _tlsChain;
    private readonly bool _refuseClientCertificates;
    private readonly System.Security.Authentication.SslProtocols _tlsProtocols;

    private HostileServer(Func<HostileRequest, Stream, CancellationToken, Task<bool>?> handler, X509Certificate2? tlsCertificate = null,
        bool refuseClientCertificates = false, System.Security.Authentication.SslProtocols tlsProtocols = System.Security.Authentication.SslProtocols.None)
    {
        _handler = handler;
        _tlsCertificate = tlsCertificate;
        _refuseClientCertificates = refuseClientCertificates;
        _tlsProtocols = tlsProtocols;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        BaseUri = new Uri($"{(tlsCertificate is null ? "http" : "https")}://127.0.0.1:{Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Starts a server; <paramref name="handler"/> returns null to let the default panel answers (login, whoami, 404) handle a request.</summary>
    public static HostileServer Start(Func<HostileRequest, Stream, CancellationToken, Task<bool>?> handler) => new(handler);

    /// <summary>The same over TLS with <paramref name="certificate"/>, asking every client for a certificate (mutual TLS, any accepted).</summary>
    /// <remarks>With <paramref name="refuseClientCertificates"/> every client certificate is refused in the handshake (an alert, under TLS 1.2).</remarks>
    public static HostileServer StartTls(X509Certificate2 certificate, Func<HostileRequest, Stream, CancellationToken, Task<bool>?> handler,
        bool refuseClientCertificates = false, System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None) =>
        new(handler, certificate, refuseClientCertificates, protocols);

    /// <summary>The same, sending <paramref name="intermediates"/> after the certificate in the handshake (a chain through an intermediate CA).</summary>
    public static HostileServer StartTlsWithChain(X509Certificate2 certificate, X509Certificate2Collection intermediates,
        Func<HostileRequest, Stream, CancellationToken, Task<bool>?> handler) =>
        new(handler, certificate) { _tlsChain = SslStreamCertificateContext.Create(certificate, intermediates, offline: true) };

    /// <summary>TLS mode: the subjects of the client certificates offered, one per connection (empty string: none).</summary>
    public ConcurrentQueue<string> ClientCertificates { get; } = new();

    public Uri BaseUri { get; }
    public int Port { get; }
    public ConcurrentQueue<HostileRequest> Requests { get; } = new();

    public int Count(string method, string pathContains) =>
        Requests.Count(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal));

    public static DciConnectionOptions Options(Uri baseUri, TimeSpan? timeout = null, int maxTransient = 4, TimeSpan? suspendedMaxWait = null) => new()
    {
        BaseUri = baseUri,
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
        Retry = new DciRetryOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(5),
            MaxTransientAttempts = maxTransient,
            SuspendedMaxWait = suspendedMaxWait ?? TimeSpan.FromSeconds(30),
        },
    };

    public Task<DciConnection> ConnectAsync(string password = "hostile-Passw0rd", Func<DciConnectionOptions, DciConnectionOptions>? change = null,
        TimeSpan? timeout = null, int maxTransient = 4)
    {
        var options = Options(BaseUri, timeout, maxTransient);
        return DciConnection.ConnectAsync(change is null ? options : change(options), new NetworkCredential("admin@example.com", password));
    }

    // ------------------------------------------------------------------ answers

    public static async Task<bool> Reply(Stream stream, int status, string? body, string contentType = "application/json",
        bool keepAlive = true, string? extraHeaders = null, CancellationToken ct = default)
    {
        await ReplyBytes(stream, status, body is null ? Array.Empty<byte>() : Encoding.UTF8.GetBytes(body), contentType, keepAlive, extraHeaders, ct);
        return keepAlive;
    }

    public static async Task ReplyBytes(Stream stream, int status, byte[] body, string? contentType = "application/json",
        bool keepAlive = true, string? extraHeaders = null, CancellationToken ct = default)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {Reason(status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        if (contentType is not null) head.Append("Content-Type: ").Append(contentType).Append("\r\n");
        if (extraHeaders is not null) head.Append(extraHeaders.TrimEnd('\r', '\n')).Append("\r\n");
        if (!keepAlive) head.Append("Connection: close\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await stream.WriteAsync(body, ct);
        await stream.FlushAsync(ct);
    }

    public static string Reason(int status) => status switch
    {
        200 => "OK", 201 => "Created", 204 => "No Content", 400 => "Bad Request", 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not Found",
        409 => "Conflict", 429 => "Too Many Requests", 500 => "Internal Server Error", 502 => "Bad Gateway", 503 => "Service Unavailable",
        504 => "Gateway Timeout", _ => "Status",
    };

    private static Task<bool> DefaultAnswer(HostileRequest request, Stream stream, CancellationToken ct)
    {
        if (request.Method == "POST" && request.Path == "/api/auth/v4/public/token")
            return Reply(stream, 201, $"{{\"id\":\"1\",\"token\":\"{Token}\",\"confirmed\":true}}", ct: ct);
        if (request.Method == "GET" && request.Path == "/api/auth/v4/whoami")
            return Reply(stream, 200, "{\"id\":1,\"email\":\"admin@example.com\",\"roles\":[\"@admin\"],\"state\":\"active\"}", ct: ct);
        return Reply(stream, 404, $"{{\"error\":{{\"code\":4004,\"msg\":\"Unknown path\",\"value\":null}}}}", ct: ct);
    }

    // ------------------------------------------------------------------ the socket side

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            var number = Interlocked.Increment(ref _connectionCount);
            var task = ServeAsync(client, number);
            _connections[task] = true;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client, int number)
    {
        using var _ = client;
        try
        {
            Stream stream = client.GetStream();
            if (_tlsCertificate is not null)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = _tlsChain is null ? _tlsCertificate : null,
                    ServerCertificateContext = _tlsChain,
                    ClientCertificateRequired = true,
                    EnabledSslProtocols = _tlsProtocols,
                    RemoteCertificateValidationCallback = (_, _, _, _) => !_refuseClientCertificates,
                }, _stop.Token);
                ClientCertificates.Enqueue(tls.RemoteCertificate?.Subject ?? "");
                stream = tls;
            }
            var pending = new List<byte>();
            while (!_stop.IsCancellationRequested)
            {
                var request = await ReadRequestAsync(stream, pending, number, _stop.Token);
                if (request is null) return;
                Requests.Enqueue(request);
                var keepOpen = await (_handler(request, stream, _stop.Token) ?? DefaultAnswer(request, stream, _stop.Token));
                if (!keepOpen) return;
            }
        }
        catch (Exception)
        {
            // The client went away or the test is over.
        }
    }

    private static async Task<HostileRequest?> ReadRequestAsync(Stream stream, List<byte> buffer, int number, CancellationToken ct)
    {
        var chunk = new byte[8192];
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(chunk, ct);
            if (n == 0) return null;
            buffer.AddRange(chunk.AsSpan(0, n));
        }
        var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var requestLine = head[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var length = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, CultureInfo.InvariantCulture) : 0;
        var bodyStart = headerEnd + 4;
        while (buffer.Count - bodyStart < length)
        {
            var n = await stream.ReadAsync(chunk, ct);
            if (n == 0) return null;
            buffer.AddRange(chunk.AsSpan(0, n));
        }
        var body = buffer.GetRange(bodyStart, length).ToArray();
        buffer.RemoveRange(0, bodyStart + length);
        return new HostileRequest(requestLine[0], requestLine[1], headers, body, number);
    }

    private static int IndexOf(List<byte> buffer, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++) match = buffer[i + j] == pattern[j];
            if (match) return i;
        }
        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
        try { await Task.WhenAll(_connections.Keys).WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
        _stop.Dispose();
    }
}
