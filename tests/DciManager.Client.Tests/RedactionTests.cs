using System.Net;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Http;
using DciManager.Client.Models;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

public class RedactionTests
{
    [Fact]
    public async Task No_secret_reaches_trace_lines_or_exception_texts()
    {
        await using var sim = await Sim.StartAsync();
        var sink = new CapturingSink();
        var secrets = new List<string> { Sim.AdminPassword, "Us3r-Secret-Pw", "R00t-Pw-install" };
        var texts = new List<string>();
        using (DciTrace.Push(sink))
        {
            using var c = await Sim.AdminAsync(sim);
            texts.Add(c.ToString());
            var user = await c.Users.CreateAsync(new DciNewUser { Email = "r@example.com", FullName = "R", Password = ListTests.SecureOf("Us3r-Secret-Pw") });
            var key = await c.Auth.CreateLoginKeyAsync(user.Email!);
            secrets.Add(key.Key);
            texts.Add(key.ToString());
            var token = await c.Auth.CreateApiTokenAsync(DateTimeOffset.UtcNow.AddHours(1), "redaction");
            var plain = AuthTests.SecureToString(token.Token);
            secrets.Add(plain);
            texts.Add(token.ToString());
            using var byKey = await DciConnection.ConnectWithKeyAsync(Sim.Options(sim), key.Key);
            await c.Servers.InstallOsAsync(20, new DciOsInstallRequest { OsTemplateId = 12, RootPassword = ListTests.SecureOf("R00t-Pw-install") });
            sim.State.RevokeAllTokens();
            await c.Servers.GetAsync(1); // re-login: the new login body and token go through the trace too
            var ex = await Assert.ThrowsAsync<DciSessionExpiredException>(() => byKey.Servers.GetAsync(1));
            texts.Add(ex.ToString());
            var bad = await Assert.ThrowsAsync<DciApiException>(() => DciConnection.ConnectAsync(Sim.Options(sim), new NetworkCredential(sim.AdminEmail, "Wr0ng-Pass-word")));
            secrets.Add("Wr0ng-Pass-word");
            texts.Add(bad.ToString());
            var token2 = await c.Auth.CreateApiTokenAsync(DateTimeOffset.UtcNow.AddHours(1), "after revoke");
            var plain2 = AuthTests.SecureToString(token2.Token);
            secrets.Add(plain2);
            using var byToken = await DciConnection.ConnectWithTokenAsync(Sim.Options(sim), plain2);
            texts.Add(byToken.ToString());
            sim.State.Faults.Add(new FaultRule { Kind = FaultKind.MalformedJson, Method = "GET", Count = 1 });
            texts.Add((await Assert.ThrowsAsync<DciApiException>(() => byToken.Auth.WhoAmIAsync())).ToString());
        }
        var everything = sink.All.Concat(texts).ToList();
        Assert.NotEmpty(sink.VerboseLines);
        Assert.NotEmpty(sink.DebugLines);
        foreach (var secret in secrets)
            Assert.DoesNotContain(everything, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.Contains(sink.DebugLines, l => l.Contains("Cookie: ***"));
        Assert.Contains(sink.DebugLines, l => l.Contains("x-xsrf-token: ***"));
        Assert.Contains(sink.DebugLines, l => l.Contains("\"token\":\"***\""));
        Assert.Contains(sink.DebugLines, l => l.Contains("\"key\":\"***\""));
        Assert.Contains(sink.VerboseLines, l => l.StartsWith("POST /api/auth/v4/public/token → 201"));
        // Session tokens are "<id>-<uuid>": no uuid-looking text may be in a trace line.
        Assert.DoesNotContain(sink.All, l => System.Text.RegularExpressions.Regex.IsMatch(l, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
    }

    [Fact]
    public async Task Imco_no_private_key_or_key_password_reaches_trace_lines_or_exception_texts()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        var s = sim.ImcoCredentials!;
        var encrypted = Path.Combine(s.EncryptedKeyApiKeyDirectory, "private", "cert.key");
        // The key's base64 body lines (both the plain and the encrypted file), the password, and an SSH private key sent in a body.
        var secrets = File.ReadAllLines(s.ClientKeyPath).Concat(File.ReadAllLines(encrypted))
            .Where(l => !l.StartsWith("-----", StringComparison.Ordinal) && l.Length >= 16).ToList();
        secrets.Add(ImcoSimulator.KeyPassword);
        const string sshPrivateKey = "ssh-private-key-body-4f1e9c2a7b";
        secrets.Add(sshPrivateKey);
        var sink = new CapturingSink();
        var texts = new List<string>();
        using (DciTrace.Push(sink))
        {
            using var c = await DciConnection.ConnectImcoAsync(ImcoSimulator.Options(sim), ImcoCredentials.FromApiKey(s.EncryptedKeyApiKeyDirectory, ImcoSimulator.KeyPassword));
            texts.Add(c.ToString());
            texts.Add(JsonSerializer.Serialize(new { c.Id, c.Platform, c.BaseUri, c.UserEmail, c.AuthMethod }));
            await c.Imco!.ListServersAsync().ToListAsync();
            await c.InvokeAsync(HttpMethod.Post, "cloud/ssh_profiles", body: System.Text.Json.Nodes.JsonNode.Parse(
                $$"""{"name":"redaction","public_key":"ssh-ed25519 AAAAC3Nza redaction","private_key":"{{sshPrivateKey}}"}"""));
            texts.Add((await Assert.ThrowsAsync<DciApiException>(() => c.InvokeAsync(HttpMethod.Post, "cloud/ssh_profiles", body: System.Text.Json.Nodes.JsonNode.Parse(
                $$"""{"name":"redaction","public_key":"ssh-ed25519 AAAAC3Nza redaction","private_key":"{{sshPrivateKey}}"}""")))).ToString());
            texts.Add(Assert.Throws<DciApiException>(() => ImcoCredentials.FromApiKey(s.EncryptedKeyApiKeyDirectory, "Wr0ng-key-pass")).ToString());
            secrets.Add("Wr0ng-key-pass");
            texts.Add((await Assert.ThrowsAsync<DciApiException>(() => DciConnection.ConnectImcoAsync(ImcoSimulator.Options(sim),
                ImcoCredentials.FromApiKey(s.WrongCaApiKeyDirectory)))).ToString());
        }
        Assert.True(secrets.Count > 40);
        Assert.NotEmpty(sink.DebugLines);
        Assert.Contains(sink.DebugLines, l => l.Contains("\"private_key\":\"***\""));
        var everything = sink.All.Concat(texts).ToList();
        foreach (var secret in secrets)
            Assert.DoesNotContain(everything, line => line.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(everything, line => line.Contains("PRIVATE KEY-----", StringComparison.Ordinal));
    }

    [Fact]
    public void Redactor_masks_json_text_urls_and_known_values()
    {
        Assert.Equal("{\"email\":\"a@b\",\"password\":\"***\",\"nested\":{\"token\":\"***\",\"n\":1}}",
            Redactor.RedactJson("{\"email\":\"a@b\",\"password\":\"p1\",\"nested\":{\"token\":\"t1\",\"n\":1}}"));
        Assert.Equal("{\"password\":\"***\", \"x\": \"trunc", Redactor.RedactText("{\"password\":\"p1\", \"x\": \"trunc"));
        Assert.Equal("Cookie ses6=***; other", Redactor.RedactText("Cookie ses6=abc123; other"));
        Assert.Equal("/api/x?key=***&a=1", Redactor.RedactUrl("/api/x?key=k-1234&a=1"));
        Assert.Equal("value *** here", Redactor.RedactKnown("value 4-secret-token here", new[] { "4-secret-token" }));
        Assert.Equal("***", Redactor.RedactHeader("Cookie", "ses6=x"));
        Assert.Equal("true", Redactor.RedactHeader("isp-box-instance", "true"));
    }
}

public class ModelTests
{
    [Fact]
    public void Models_tolerate_the_documented_shapes()
    {
        var user = JsonSerializer.Deserialize("{\"id\":3,\"email\":\"u@x\",\"server_count\":\"2\",\"roles\":\"[@user]\",\"vlans_per_user\":5,\"extra\":{\"a\":1}}",
            DciJsonContext.Default.DciUser)!;
        Assert.Equal(new[] { "@user" }, user.Roles);
        Assert.Equal(2, user.ServerCount);
        Assert.Equal("User", user.Role);
        Assert.Equal(1L, ((DciData)user.AdditionalProperties!["extra"]!)["a"]);

        var pools = JsonSerializer.Deserialize("{\"list\":[{\"id\":1,\"name\":\"p\",\"is_public\":\"on\",\"using_ip\":\"12\",\"total_ip\":\"\",\"total_ipv4\":null,\"using_ipv6\":3}],\"size\":\"1\"}",
            DciJsonContext.Default.DciListDciIpPool)!;
        var pool = pools.List![0]!;
        Assert.True(pool.IsPublic);
        Assert.Equal(12, pool.UsingIp);
        Assert.Null(pool.TotalIp);
        Assert.Null(pool.TotalIpv4);
        Assert.Equal(3, pool.UsingIpv6);
        Assert.Equal(1, pools.Size);

        var task = JsonSerializer.Deserialize("{\"id\":\"9\",\"name\":\"power_on\",\"status\":\"weird\",\"created_at\":\"2025-01-02 03:04:05\",\"finished_at\":\"2025-01-02T03:04:06Z\"}",
            DciJsonContext.Default.DciTask)!;
        Assert.Equal(9, task.Id);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), task.CreatedAt);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 6, TimeSpan.Zero), task.FinishedAt);
        Assert.False(task.IsFinished);
        Assert.Equal("weird", task.Status);

        var server = JsonSerializer.Deserialize("{\"id\":1,\"ip\":null,\"switch_connection\":null,\"rack\":{\"name\":\"R1\",\"row\":2},\"is_new\":\"false\",\"future\":[1,2]}",
            DciJsonContext.Default.DciServer)!;
        Assert.Empty(server.Ip);
        Assert.Empty(server.SwitchConnection);
        Assert.Null(server.MainIp);
        Assert.True(server.IsFree);
        Assert.Equal("R1", server.Rack!.Name);
        Assert.True(server.Rack.AdditionalProperties!.ContainsKey("row"));
        Assert.False(server.IsNew);
        Assert.True(server.AdditionalProperties!.ContainsKey("future"));

        var net = JsonSerializer.Deserialize("{\"id\":1,\"family\":10,\"size\":\"18446744073709551616\"}", DciJsonContext.Default.DciIpNetwork)!;
        Assert.Equal("IPv6", net.FamilyName);
        Assert.Equal(long.MaxValue, net.Size);

        var configurations = JsonSerializer.Deserialize("{\"list\":[{\"configuration\":\"a\",\"free_server_count\":null},{\"configuration\":\"b\",\"free_server_count\":\"4\"}]}",
            DciJsonContext.Default.DciListDciServerConfiguration)!;
        Assert.Equal(new[] { 0, 4 }, configurations.List!.Select(x => x!.FreeServerCount));
    }
}
