using System.Collections;
using System.Net;
using System.Reflection;
using System.Security;
using System.Text.Json;
using DciManager.Client;

namespace DciManager.Client.Tests;

/// <summary>Issue 10 points 15-20: secrets the module holds or sends never come back out, and are not sent where they should not go.</summary>
public sealed class SecretHardeningTests
{
    private static SecureString Secure(string text)
    {
        var s = new SecureString();
        foreach (var ch in text) s.AppendChar(ch);
        s.MakeReadOnly();
        return s;
    }

    /// <summary>Every string reachable from <paramref name="root"/> through fields (instance fields, any depth).</summary>
    private static IEnumerable<string> ReachableStrings(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<object>();
        stack.Push(root);
        while (stack.Count > 0 && seen.Count < 500_000)
        {
            var current = stack.Pop();
            if (!seen.Add(current)) continue;
            if (current is string text) { yield return text; continue; }
            var type = current.GetType();
            if (type.IsPrimitive || current is Type or MemberInfo or Assembly or Module or Delegate or Thread || type.IsPointer) continue;
            if (current is Array array)
            {
                if (type.GetElementType() is { IsPrimitive: true }) continue;
                foreach (var item in array) if (item is not null) stack.Push(item);
                continue;
            }
            for (var t = type; t is not null; t = t.BaseType)
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                    object? value;
                    try { value = field.GetValue(current); } catch (Exception) { continue; }
                    if (value is not null && !value.GetType().IsPrimitive) stack.Push(value);
                }
        }
    }

    /// <summary>Every public property of the exception (inner exceptions and Value included) as text.</summary>
    private static string ExposedText(Exception ex)
    {
        var parts = new List<string> { ex.ToString() };
        for (var e = ex; e is not null; e = e.InnerException)
        {
            foreach (var property in e.GetType().GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                if (property.GetIndexParameters().Length > 0) continue;
                var value = property.GetValue(e);
                parts.Add(value switch
                {
                    JsonElement element => element.GetRawText(),
                    IDictionary dictionary => string.Join(";", dictionary.Keys.Cast<object>().Select(k => $"{k}={dictionary[k]}")),
                    _ => value?.ToString() ?? "",
                });
            }
        }
        return string.Join("\n", parts);
    }

    // ------------------------------------------------------------------ 15, 16: what the server echoes

    [Fact]
    public async Task An_error_that_echoes_the_request_shows_no_password_or_token_in_any_property()
    {
        const string rootPassword = "Root-Secret-Pw-4711";
        await using var server = HostileServer.Start((request, stream, ct) =>
        {
            if (!request.Path.EndsWith("/operation_os", StringComparison.Ordinal)) return null;
            // A careless panel: the whole request, body and session cookie, echoed in error.value.
            var echo = $"{{\"error\":{{\"code\":3001,\"msg\":\"Install failed\",\"value\":{{\"request\":{request.BodyText},\"seen\":\"{request.Headers["Cookie"]}\",\"note\":\"pw was {rootPassword}\"}}}}}}";
            return HostileServer.Reply(stream, 400, echo, ct: ct);
        });
        using var c = await server.ConnectAsync();

        var error = await Assert.ThrowsAsync<DciApiException>(() =>
            c.Servers.InstallOsAsync(4, new DciOsInstallRequest { OsTemplateId = 12, RootPassword = Secure(rootPassword) }));
        var exposed = ExposedText(error);
        Assert.DoesNotContain(rootPassword, exposed);
        Assert.DoesNotContain(HostileServer.Token, exposed);
        Assert.NotNull(error.Value);
        Assert.Contains("***", error.Value!.Value.GetRawText());
    }

    [Fact]
    public async Task A_password_the_module_sent_is_masked_when_the_server_repeats_it()
    {
        const string userPassword = "UserPw-Secret-888";
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Method == "POST" && request.Path == "/api/dci/v3/user"
                ? HostileServer.Reply(stream, 400, $"{{\"error\":{{\"code\":2001,\"msg\":\"The password {userPassword} is too weak\",\"value\":null}}}}", ct: ct)
                : null);
        using var c = await server.ConnectAsync();

        var error = await Assert.ThrowsAsync<DciApiException>(() =>
            c.Users.CreateAsync(new DciNewUser { Email = "new@example.com", Password = Secure(userPassword) }));
        Assert.DoesNotContain(userPassword, ExposedText(error));
        Assert.Contains("The password *** is too weak", error.Message);
    }

    // ------------------------------------------------------------------ 17, 18: where credentials may go

    [Theory]
    [InlineData("http://dci.example.invalid/")]
    [InlineData("http://10.0.0.1:8080/")]
    public async Task Plain_http_to_another_host_is_refused_before_anything_is_sent(string address)
    {
        var options = new DciConnectionOptions { BaseUri = new Uri(address) };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DciConnection.ConnectAsync(options, new NetworkCredential("a@example.com", "pw-123456")));
        Assert.Contains("unencrypted HTTP", error.Message);
        Assert.Contains("AllowUnencryptedAuthentication", error.Message);
    }

    [Fact]
    public async Task Plain_http_to_loopback_needs_no_opt_in()
    {
        await using var server = HostileServer.Start((_, _, _) => null);
        using var c = await server.ConnectAsync();
        Assert.True(c.IsOpen);
    }

    [Fact]
    public async Task Credentials_in_the_address_are_refused_and_not_repeated()
    {
        await using var server = HostileServer.Start((_, _, _) => null);
        var options = new DciConnectionOptions { BaseUri = new Uri($"http://admin:Uri-Pass-999@127.0.0.1:{server.Port}/") };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => DciConnection.ConnectAsync(options, new NetworkCredential("a@example.com", "pw-123456")));
        Assert.DoesNotContain("Uri-Pass-999", error.Message);
        Assert.Contains("user name or password", error.Message);
        Assert.Empty(server.Requests);
    }

    // ------------------------------------------------------------------ 19: Disconnect drops the password

    [Fact]
    public async Task After_dispose_the_password_is_reachable_from_neither_the_connection_nor_its_objects()
    {
        const string password = "Dropped-Passw0rd-31337";
        await using var server = HostileServer.Start((request, stream, ct) =>
            request.Path == "/api/dci/v3/server/1"
                ? HostileServer.Reply(stream, 200, "{\"id\":1,\"name\":\"web-01\",\"ip\":[]}", ct: ct)
                : null);
        var c = await server.ConnectAsync(password);
        var emitted = await c.Servers.GetAsync(1);
        Assert.Contains(ReachableStrings(c), s => s.Contains(password, StringComparison.Ordinal)); // the probe finds it while connected

        c.Dispose();
        Assert.DoesNotContain(ReachableStrings(c), s => s.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(ReachableStrings(emitted), s => s.Contains(password, StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ 20: a refused credential is not sent again

    [Fact]
    public async Task A_refused_relogin_is_tried_once_for_all_concurrent_calls_and_never_again()
    {
        var logins = 0;
        await using var server = HostileServer.Start((request, stream, ct) =>
        {
            if (request.Path == "/api/auth/v4/public/token")
            {
                // The first sign-in works; then the password is changed on the panel.
                return Interlocked.Increment(ref logins) == 1 ? null : HostileServer.Reply(stream, 401, "{\"error\":{\"code\":1001,\"msg\":\"Wrong password\",\"value\":null}}", ct: ct);
            }
            if (request.Path == "/api/dci/v3/server/1")
                return HostileServer.Reply(stream, 401, "{\"error\":{\"code\":1002,\"msg\":\"Session expired\",\"value\":null}}", ct: ct);
            return null;
        });
        using var c = await server.ConnectAsync();

        var parallel = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Record.ExceptionAsync(() => c.Servers.GetAsync(1))));
        for (var i = 0; i < 10; i++) parallel = [.. parallel, await Record.ExceptionAsync(() => c.Servers.GetAsync(1))];

        Assert.All(parallel, e => Assert.IsType<DciSessionExpiredException>(e));
        Assert.Equal(2, Volatile.Read(ref logins)); // the first sign-in and one refused re-login
        Assert.Contains("Connect-Dci", parallel[^1]!.Message);
    }
}
