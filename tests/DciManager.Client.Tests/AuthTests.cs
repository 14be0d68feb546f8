using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using DciManager.Client;

namespace DciManager.Client.Tests;

public class AuthTests
{
    [Fact]
    public async Task Password_login_fills_identity_and_never_shows_the_token()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        Assert.True(c.IsOpen);
        Assert.Equal(DciAuthMethod.Password, c.AuthMethod);
        Assert.Equal(sim.AdminEmail, c.UserEmail);
        Assert.Equal(1, c.UserId);
        Assert.True(c.IsAdmin);
        Assert.Contains("@admin", c.Roles);
        Assert.Equal($"{sim.AdminEmail} @ {sim.BaseAddress.ToString().TrimEnd('/')}", c.ToString());
        var me = await c.Auth.WhoAmIAsync();
        Assert.Equal(sim.AdminEmail, me.Email);
        Assert.Same(c, me.Connection);
        c.Dispose();
        Assert.False(c.IsOpen);
        await Assert.ThrowsAsync<DciConnectionClosedException>(() => c.Servers.GetAsync(1));
    }

    [Fact]
    public async Task Wrong_password_is_a_401_api_error_without_the_password()
    {
        await using var sim = await Sim.StartAsync();
        var ex = await Assert.ThrowsAsync<DciApiException>(() =>
            DciConnection.ConnectAsync(Sim.Options(sim), new NetworkCredential(sim.AdminEmail, "wrong-password-123")));
        Assert.Equal(401, ex.HttpStatus);
        Assert.Equal(3001, ex.Code);
        Assert.DoesNotContain("wrong-password-123", ex.ToString());
    }

    [Fact]
    public async Task Non_admin_login_is_not_admin()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.UserAsync(sim);
        Assert.False(c.IsAdmin);
        Assert.Equal("user01@example.com", c.UserEmail);
    }

    [Fact]
    public async Task Login_key_signs_the_user_in_once()
    {
        await using var sim = await Sim.StartAsync();
        using var admin = await Sim.AdminAsync(sim);
        var key = await admin.Auth.CreateLoginKeyAsync("user02@example.com");
        Assert.False(string.IsNullOrEmpty(key.Key));
        Assert.DoesNotContain(key.Key, key.ToString());
        Assert.Equal(new Uri(sim.BaseAddress, "auth/key-v4/" + key.Key), key.LoginUri);

        using var user = await DciConnection.ConnectWithKeyAsync(Sim.Options(sim), key.Key);
        Assert.Equal(DciAuthMethod.Key, user.AuthMethod);
        Assert.Equal("user02@example.com", user.UserEmail);
        Assert.False(user.IsAdmin);

        var again = await Assert.ThrowsAsync<DciApiException>(() => DciConnection.ConnectWithKeyAsync(Sim.Options(sim), key.Key));
        Assert.Equal(401, again.HttpStatus);
    }

    [Fact]
    public async Task Api_token_connects_and_a_bad_token_is_refused()
    {
        await using var sim = await Sim.StartAsync();
        using var admin = await Sim.AdminAsync(sim);
        var token = await admin.Auth.CreateApiTokenAsync(DateTimeOffset.UtcNow.AddDays(1), "ci token");
        Assert.Equal("ci token", token.Description);
        Assert.NotNull(token.ExpiresAt);
        var plain = SecureToString(token.Token);
        Assert.DoesNotContain(plain, token.ToString());

        using var byToken = await DciConnection.ConnectWithTokenAsync(Sim.Options(sim), plain);
        Assert.Equal(DciAuthMethod.Token, byToken.AuthMethod);
        Assert.Equal(sim.AdminEmail, byToken.UserEmail);
        Assert.True(byToken.IsAdmin);
        Assert.Equal(48, (await byToken.Servers.ListAsync().ToListAsync()).Count);

        var ex = await Assert.ThrowsAsync<DciSessionExpiredException>(() => DciConnection.ConnectWithTokenAsync(Sim.Options(sim), "1-not-a-real-token"));
        Assert.DoesNotContain("1-not-a-real-token", ex.ToString());
    }

    [Fact]
    public async Task Revoked_session_logs_in_again_once_for_concurrent_requests()
    {
        await using var sim = await Sim.StartAsync();
        using var c = await Sim.AdminAsync(sim);
        await c.Servers.GetAsync(1);
        sim.State.RevokeAllTokens();
        var results = await Task.WhenAll(Enumerable.Range(1, 12).Select(i => c.Servers.GetAsync(i)));
        Assert.Equal(12, results.Length);
        Assert.Equal(1, c.ReloginCount);
        Assert.Equal(3, (await c.Servers.GetAsync(3)).Id);
    }

    [Fact]
    public async Task Idle_expiry_is_handled_by_re_login()
    {
        await using var sim = await Sim.StartAsync(o => o.TokenLifetime = TimeSpan.FromMilliseconds(300));
        using var c = await Sim.AdminAsync(sim);
        await Task.Delay(600);
        var s = await c.Servers.GetAsync(2);
        Assert.Equal(2, s.Id);
        Assert.Equal(1, c.ReloginCount);
    }

    [Fact]
    public async Task Revoked_bare_token_or_key_session_throws_session_expired()
    {
        await using var sim = await Sim.StartAsync();
        using var admin = await Sim.AdminAsync(sim);
        var token = SecureToString((await admin.Auth.CreateApiTokenAsync(DateTimeOffset.UtcNow.AddDays(1), null)).Token);
        using var byToken = await DciConnection.ConnectWithTokenAsync(Sim.Options(sim), token);
        var key = await admin.Auth.CreateLoginKeyAsync("user01@example.com");
        using var byKey = await DciConnection.ConnectWithKeyAsync(Sim.Options(sim), key.Key);
        sim.State.RevokeAllTokens();
        var ex = await Assert.ThrowsAsync<DciSessionExpiredException>(() => byToken.Servers.GetAsync(1));
        Assert.Equal(DciSessionExpiredException.DefaultMessage, ex.Message);
        Assert.IsType<DciApiException>(ex.InnerException);
        await Assert.ThrowsAsync<DciSessionExpiredException>(async () => await byKey.Servers.ListAsync().ToListAsync());
    }

    [Fact]
    public async Task Every_request_carries_cookie_xsrf_and_box_headers()
    {
        // A raw loopback peer that records the request and answers whoami.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var captured = new TaskCompletionSource<string>();
        _ = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            var buffer = new byte[8192];
            var text = new StringBuilder();
            while (!text.ToString().Contains("\r\n\r\n"))
            {
                var n = await stream.ReadAsync(buffer);
                if (n == 0) break;
                text.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }
            captured.TrySetResult(text.ToString());
            var body = "{\"id\": 7, \"email\": \"raw@example.com\", \"roles\": \"[@user]\", \"state\": \"active\"}";
            var answer = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            await stream.WriteAsync(Encoding.UTF8.GetBytes(answer));
        });

        using var c = await DciConnection.ConnectWithTokenAsync(
            new DciConnectionOptions { BaseUri = new Uri($"http://127.0.0.1:{port}") }, "7-0f4c2a7e-token");
        var request = await captured.Task;
        Assert.StartsWith("GET /api/auth/v4/whoami HTTP/1.1", request);
        Assert.Contains("Cookie: ses6=7-0f4c2a7e-token", request);
        Assert.Contains("x-xsrf-token: 7-0f4c2a7e-token", request);
        Assert.Contains("isp-box-instance: true", request);
        Assert.Contains("User-Agent: DciManager.PowerShell/", request);
        Assert.Contains("Accept: application/json", request);
        Assert.Equal("raw@example.com", c.UserEmail);
        Assert.Equal(new[] { "@user" }, c.Roles);
        Assert.DoesNotContain("7-0f4c2a7e-token", c.ToString());
    }

    internal static string SecureToString(System.Security.SecureString s)
    {
        var p = Marshal.SecureStringToGlobalAllocUnicode(s);
        try { return Marshal.PtrToStringUni(p)!; } finally { Marshal.ZeroFreeGlobalAllocUnicode(p); }
    }
}
