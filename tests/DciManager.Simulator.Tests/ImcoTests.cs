using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DciManager.Simulator.Imco;

namespace DciManager.Simulator.Tests;

/// <summary>An IMCO-mode simulator plus an HttpClient that speaks mutual TLS with the generated API key.</summary>
public sealed class ImcoSim : IAsyncDisposable
{
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private static string? _sharedDirectory;

    public SimulatorHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public ImcoCredentials Credentials => Host.ImcoCredentials!;
    public SimulatorState State => Host.State;

    /// <summary>One credentials folder for the whole test run (generating RSA keys is the slow part of a start).</summary>
    public static async Task<string> SharedDirectoryAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (_sharedDirectory is null)
            {
                var dir = Path.Combine(Path.GetTempPath(), "imco-sim-tests-" + Guid.NewGuid().ToString("N")[..8]);
                ImcoCredentials.CreateOrReuse(dir).Dispose();
                _sharedDirectory = dir;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } };
            }
            return _sharedDirectory;
        }
        finally { SharedGate.Release(); }
    }

    public static async Task<ImcoSim> StartAsync(Action<SimulatorOptions>? configure = null, string? credentialsDirectory = null)
    {
        var o = new SimulatorOptions
        {
            Platform = SimulatedPlatform.Imco,
            Urls = "https://127.0.0.1:0",
            Servers = 8,
            OperationDuration = TimeSpan.FromMilliseconds(60),
            CredentialsDirectory = credentialsDirectory ?? await SharedDirectoryAsync(),
        };
        configure?.Invoke(o);
        var sim = new ImcoSim { Host = await SimulatorHost.StartAsync(o) };
        sim.Http = sim.Client(sim.Credentials.ApiKeyDirectory);
        return sim;
    }

    /// <summary>A client that offers the API key in <paramref name="apiKeyFolder"/> (null: no certificate) and trusts only the simulator's CA.</summary>
    public HttpClient Client(string? apiKeyFolder, string? caPath = null)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (apiKeyFolder is not null)
            handler.SslOptions.ClientCertificates = new X509CertificateCollection { LoadApiKey(apiKeyFolder) };
        var ca = X509CertificateLoader.LoadCertificateFromFile(caPath ?? Credentials.CaCertificatePath);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
        {
            if (certificate is null) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
        return new HttpClient(handler) { BaseAddress = Host.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static X509Certificate2 LoadApiKey(string folder) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(folder, "cert.crt"), Path.Combine(folder, "private", "cert.key"));

    public async Task<Resp> SendAsync(HttpMethod method, string path, object? body = null, HttpClient? client = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null) req.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var resp = await (client ?? Http).SendAsync(req);
        return new Resp(resp.StatusCode, await resp.Content.ReadAsStringAsync(), resp.Content.Headers.ContentType?.MediaType);
    }

    public Task<Resp> GetAsync(string path) => SendAsync(HttpMethod.Get, path);
    public Task<Resp> PutAsync(string path, object? body = null) => SendAsync(HttpMethod.Put, path, body ?? new { });
    public Task<Resp> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);
    public Task<Resp> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public async Task<JsonElement[]> ListAsync(string path)
    {
        var r = await GetAsync(path);
        Assert.True(r.StatusCode == 200, $"{path}: {r.StatusCode} {r.Body}");
        Assert.Equal(JsonValueKind.Array, r.Json.ValueKind);
        return r.Json.EnumerateArray().ToArray();
    }

    public async Task<JsonElement> ServerAsync(string id)
    {
        var r = await GetAsync($"v3/cloud/servers/{id}");
        Assert.True(r.StatusCode == 200, $"server {id}: {r.StatusCode} {r.Body}");
        return r.Json;
    }

    /// <summary>Polls the server until it reaches <paramref name="target"/>; returns every state seen on the way.</summary>
    public async Task<List<string>> WaitStateAsync(string id, string target)
    {
        var seen = new List<string>();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var r = await GetAsync($"v3/cloud/servers/{id}");
            if (r.StatusCode == 404 && target == "gone") return seen;
            Assert.Equal(200, r.StatusCode);
            var state = r.Json.S("state")!;
            if (seen.Count == 0 || seen[^1] != state) seen.Add(state);
            if (state == target) return seen;
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"server {id} still {state}, wanted {target}");
            await Task.Delay(20);
        }
    }

    public async Task<string> FirstServerIdAsync(string state = "operational") =>
        (await ListAsync("v3/cloud/servers")).First(s => s.S("state") == state).S("id")!;

    public int LedgerCount(string operation) => State.Ledger.Count(e => e.Operation == operation);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}

public sealed class ImcoTests
{
    private static readonly Regex HexId = new("^[0-9a-f]{24}$");

    private static Dictionary<string, string[]> Errors(Resp r)
    {
        Assert.Equal(422, r.StatusCode);
        return r.Json.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }

    // ------------------------------------------------------------------ TLS

    [Fact]
    public async Task ApiKey_IsAccepted_AndServerCertificateChainsToTheGeneratedCa()
    {
        await using var sim = await ImcoSim.StartAsync();
        Assert.Equal("https", sim.Host.BaseAddress.Scheme);
        var r = await sim.GetAsync("v3/ping");
        Assert.Equal(200, r.StatusCode);
        var server = sim.Credentials.ServerCertificate;
        Assert.Equal(sim.Credentials.CaCertificate.Subject, server.Issuer);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", san.EnumerateDnsNames());
        Assert.Contains(IPAddress.Loopback, san.EnumerateIPAddresses());
    }

    [Theory]
    [InlineData("none")]
    [InlineData("api-key-wrong-ca")]
    [InlineData("api-key-expired")]
    public async Task ClientWithoutATrustedCertificate_IsRefusedAtTheTlsLayer(string offered)
    {
        await using var sim = await ImcoSim.StartAsync();
        using var client = sim.Client(offered == "none" ? null : Path.Combine(sim.Credentials.Directory, offered));
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.SendAsync(HttpMethod.Get, "v3/ping", client: client));
        // Nothing reached the application: no HTTP status was ever produced for it.
        Assert.Equal(0, sim.State.RequestCount);
        Assert.True(sim.State.ConnectionCount >= 1);
        // The same server still serves the real API key.
        Assert.Equal(200, (await sim.GetAsync("v3/ping")).StatusCode);
        Assert.Equal(1, sim.State.RequestCount);
    }

    [Fact]
    public async Task OneClient_ReusesItsTlsConnection()
    {
        await using var sim = await ImcoSim.StartAsync(o => o.EnableControl = true);
        for (int i = 0; i < 20; i++) Assert.Equal(200, (await sim.GetAsync("v3/ping")).StatusCode);
        var stats = (await sim.GetAsync("_sim/stats")).Json;
        Assert.Equal(20, stats.GetProperty("requests").GetInt64());
        Assert.Equal(1, stats.GetProperty("connections").GetInt64());
        Assert.Equal(1, sim.State.ConnectionCount);
    }

    [Fact]
    public async Task NegativeCertificates_AreWhatTheirFoldersSay()
    {
        var c = ImcoCredentials.CreateOrReuse(await ImcoSim.SharedDirectoryAsync());
        using var _ = c;
        using var expired = ImcoSim.LoadApiKey(c.ExpiredApiKeyDirectory);
        Assert.True(expired.NotAfter < DateTime.Now);
        Assert.Equal(c.CaCertificate.Subject, expired.Issuer);
        using var wrong = ImcoSim.LoadApiKey(c.WrongCaApiKeyDirectory);
        using var other = X509CertificateLoader.LoadCertificateFromFile(c.OtherCaCertificatePath);
        Assert.Equal(other.Subject, wrong.Issuer);
        Assert.NotEqual(c.CaCertificate.Subject, wrong.Issuer);
        Assert.True(wrong.NotAfter > DateTime.Now);
        Assert.False(c.IsTrustedClient(expired));
        Assert.False(c.IsTrustedClient(wrong));
        Assert.True(c.IsTrustedClient(c.ClientCertificate));
    }

    [Fact]
    public async Task ClientTrustingAnotherCa_RefusesTheServer()
    {
        await using var sim = await ImcoSim.StartAsync();
        using var client = sim.Client(sim.Credentials.ApiKeyDirectory, sim.Credentials.OtherCaCertificatePath);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => sim.SendAsync(HttpMethod.Get, "v3/ping", client: client));
    }

    [Fact]
    public async Task ApiKeyVariants_EncryptedPem_Zip_AndPfx_CarryTheSameCertificate()
    {
        await using var sim = await ImcoSim.StartAsync();
        var c = sim.Credentials;
        var keyText = File.ReadAllText(Path.Combine(c.EncryptedKeyApiKeyDirectory, "private", "cert.key"));
        Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", keyText);
        Assert.Contains("BEGIN RSA PRIVATE KEY", File.ReadAllText(c.ClientKeyPath));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            X509Certificate2.CreateFromEncryptedPemFile(Path.Combine(c.EncryptedKeyApiKeyDirectory, "cert.crt"), "wrong password",
                Path.Combine(c.EncryptedKeyApiKeyDirectory, "private", "cert.key")));
        using var decrypted = X509Certificate2.CreateFromEncryptedPemFile(Path.Combine(c.EncryptedKeyApiKeyDirectory, "cert.crt"),
            ImcoCredentials.KeyPassword, Path.Combine(c.EncryptedKeyApiKeyDirectory, "private", "cert.key"));
        Assert.Equal(c.ClientCertificate.Thumbprint, decrypted.Thumbprint);
        Assert.True(decrypted.HasPrivateKey);

        using (var zip = ZipFile.OpenRead(c.ApiKeyZipPath))
        {
            Assert.Equal(new[] { "ca_cert.pem", "cert.crt", "private/cert.key" }, zip.Entries.Select(e => e.FullName.Replace('\\', '/')).OrderBy(n => n, StringComparer.Ordinal));
            using var reader = new StreamReader(zip.GetEntry("cert.crt")!.Open());
            Assert.Equal(File.ReadAllText(c.ClientCertificatePath), reader.ReadToEnd());
        }
        using var pfx = X509CertificateLoader.LoadPkcs12FromFile(c.PfxPath, ImcoCredentials.KeyPassword);
        Assert.Equal(c.ClientCertificate.Thumbprint, pfx.Thumbprint);
        Assert.True(pfx.HasPrivateKey);

        // The decrypted key works for the handshake too.
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = new X509CertificateCollection { decrypted };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler) { BaseAddress = sim.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("v2/ping")).StatusCode);
    }

    [Fact]
    public async Task Restart_ReusesTheCredentialsFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "imco-sim-reuse-" + Guid.NewGuid().ToString("N")[..8]);
        string caThumbprint, clientThumbprint;
        X509Certificate2 oldClient;
        await using (var first = await ImcoSim.StartAsync(credentialsDirectory: dir))
        {
            Assert.False(first.Credentials.Reused);
            caThumbprint = first.Credentials.CaCertificate.Thumbprint;
            clientThumbprint = first.Credentials.ClientCertificate.Thumbprint;
            oldClient = ImcoSim.LoadApiKey(first.Credentials.ApiKeyDirectory);
        }
        var keyBefore = File.ReadAllBytes(Path.Combine(dir, "api-key", "private", "cert.key"));
        await using var second = await ImcoSim.StartAsync(credentialsDirectory: dir);
        Assert.True(second.Credentials.Reused);
        Assert.Equal(caThumbprint, second.Credentials.CaCertificate.Thumbprint);
        Assert.Equal(clientThumbprint, second.Credentials.ClientCertificate.Thumbprint);
        Assert.Equal(keyBefore, File.ReadAllBytes(Path.Combine(dir, "api-key", "private", "cert.key")));
        // A client still holding the certificate loaded before the restart gets in.
        var handler = new SocketsHttpHandler();
        handler.SslOptions.ClientCertificates = new X509CertificateCollection { oldClient };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var http = new HttpClient(handler) { BaseAddress = second.Host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("v3/ping")).StatusCode);
        Directory.Delete(dir, recursive: true);
    }

    // ------------------------------------------------------------------ API surface

    [Theory]
    [InlineData("v2")]
    [InlineData("v3")]
    public async Task Ping_AnswersOnBothVersions(string version)
    {
        await using var sim = await ImcoSim.StartAsync();
        var r = await sim.GetAsync($"{version}/ping");
        Assert.Equal(200, r.StatusCode);
        Assert.Equal("application/json", r.ContentType);
        Assert.Equal(version, r.Json.S("api_version"));
        var servers = await sim.ListAsync($"{version}/cloud/servers");
        Assert.Equal(8, servers.Length);
    }

    [Fact]
    public async Task Lists_AreBareArrays_WithHexIds_AndTheDocumentedKeys()
    {
        await using var sim = await ImcoSim.StartAsync(o => o.Servers = 200);
        var servers = await sim.ListAsync("v3/cloud/servers");
        Assert.Equal(200, servers.Length);
        Assert.All(servers, s => Assert.Matches(HexId, s.S("id")!));
        Assert.Equal(200, servers.Select(s => s.S("id")).Distinct().Count());
        var keys = servers[0].EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var k in new[] { "id", "name", "fqdn", "state", "public_ip", "private_ip", "template_id", "server_plan_id", "cloud_account_id",
                     "firewall_profile_id", "ssh_profile_id", "ssh_profile_ids", "server_array_id", "subnet_id", "vpc_id", "privateness",
                     "brownfield_state", "resource_type", "label_ids" })
            Assert.Contains(k, keys);
        Assert.Equal("server", servers[0].S("resource_type"));

        var shapes = new (string Path, string[] Keys)[]
        {
            ("v3/blueprint/templates", new[] { "id", "name", "generic_image_id", "run_list", "configuration_attributes", "cookbook_versions", "state", "resource_type", "label_ids" }),
            ("v3/cloud/ssh_profiles", new[] { "id", "name", "public_key", "private_key", "resource_type", "label_ids" }),
            ("v3/settings/cloud_accounts", new[] { "id", "name", "subscription_id", "remote_id", "cloud_provider_id", "state", "error_event_id", "resource_type" }),
            ("v3/cloud/cloud_providers", new[] { "id", "name" }),
            ("v3/network/firewall_profiles", new[] { "id", "name", "description", "default", "rules", "resource_type", "label_ids" }),
            ("v3/network/vpcs", new[] { "id", "name", "cidr", "state", "cloud_account_id", "realm_provider_name", "has_vpn", "allowed_subnet_types", "brownfield", "resource_type", "label_ids" }),
            ("v3/network/floating_ips", new[] { "id", "name", "address", "state", "cloud_account_id", "realm_id", "attached_server_id", "brownfield", "resource_type", "label_ids" }),
            ("v3/storage/volumes", new[] { "id", "name", "size", "state", "device", "storage_plan_id", "cloud_account_id", "realm_id", "attached_server_id", "brownfield", "resource_type", "label_ids" }),
            ("v3/audit/events", new[] { "id", "timestamp", "level", "header", "description" }),
        };
        foreach (var (path, expected) in shapes)
        {
            var list = await sim.ListAsync(path);
            Assert.NotEmpty(list);
            foreach (var k in expected) Assert.True(list[0].TryGetProperty(k, out _), $"{path} lacks {k}");
            Assert.Matches(HexId, list[0].S("id")!);
        }

        var provider = (await sim.ListAsync("v3/cloud/cloud_providers"))[0].S("id");
        var plans = await sim.ListAsync($"v3/cloud/cloud_providers/{provider}/server_plans");
        Assert.NotEmpty(plans);
        Assert.All(plans, p => Assert.Equal(provider, p.S("cloud_provider_id")));
        foreach (var k in new[] { "memory", "cpus", "storage", "location_id", "realm_id", "realm_provider_name", "flavour_provider_name" })
            Assert.True(plans[0].TryGetProperty(k, out _), k);
        Assert.Equal(plans[0].S("id"), (await sim.GetAsync($"v3/cloud/server_plans/{plans[0].S("id")}")).Json.S("id"));

        var vpc = (await sim.ListAsync("v3/network/vpcs"))[0].S("id");
        var subnets = await sim.ListAsync($"v3/network/vpcs/{vpc}/subnets");
        Assert.NotEmpty(subnets);
        Assert.All(subnets, s => Assert.Equal(vpc, s.S("vpc_id")));

        var events = await sim.ListAsync($"v3/cloud/servers/{servers[0].S("id")}/events");
        Assert.NotEmpty(events);
        Assert.True(DateTimeOffset.TryParse(events[0].S("timestamp"), out _));
    }

    [Fact]
    public async Task V2AndV3_DifferInRealms()
    {
        await using var sim = await ImcoSim.StartAsync();
        var provider = (await sim.ListAsync("v3/cloud/cloud_providers"))[0].S("id");
        var realms = await sim.ListAsync($"v3/cloud/cloud_providers/{provider}/realms");
        Assert.Equal(2, realms.Length);
        var v2 = await sim.GetAsync($"v2/cloud/cloud_providers/{provider}/realms");
        Assert.Equal(404, v2.StatusCode);

        var realm = realms[1].S("id");
        var all = await sim.ListAsync($"v3/cloud/cloud_providers/{provider}/server_plans");
        var inRealm = await sim.ListAsync($"v3/cloud/cloud_providers/{provider}/server_plans?realm_id={realm}");
        Assert.True(inRealm.Length > 0 && inRealm.Length < all.Length);
        Assert.All(inRealm, p => Assert.Equal(realm, p.S("realm_id")));
        // v2 has no realm_id: the parameter is ignored.
        Assert.Equal(all.Length, (await sim.ListAsync($"v2/cloud/cloud_providers/{provider}/server_plans?realm_id={realm}")).Length);
    }

    [Fact]
    public async Task UnknownIds_Answer404WithErrorBody_AndUnknownPathsRawText()
    {
        await using var sim = await ImcoSim.StartAsync();
        foreach (var path in new[] { "v3/cloud/servers/0123456789abcdef01234567", "v3/cloud/servers/not-an-id", "v2/blueprint/templates/0123456789abcdef01234567",
                     "v3/storage/volumes/0123456789abcdef01234567", "v3/settings/cloud_accounts/0123456789abcdef01234567" })
        {
            var r = await sim.GetAsync(path);
            Assert.Equal(404, r.StatusCode);
            Assert.Equal("application/json", r.ContentType);
            Assert.Contains("not found", r.Json.S("error"));
        }
        var action = await sim.PutAsync("v3/cloud/servers/0123456789abcdef01234567/boot");
        Assert.Equal(404, action.StatusCode);
        Assert.Equal(JsonValueKind.String, action.Json.GetProperty("error").ValueKind);

        var unknown = await sim.GetAsync("v3/cloud/nothing_here");
        Assert.Equal(404, unknown.StatusCode);
        Assert.Equal("text/plain", unknown.ContentType);
        Assert.Equal("Not Found", unknown.Body);
        Assert.Equal(404, (await sim.GetAsync("v4/ping")).StatusCode);
    }

    // ------------------------------------------------------------------ servers

    [Fact]
    public async Task ShutdownBootReboot_FollowTheStateMachineOverTime()
    {
        await using var sim = await ImcoSim.StartAsync();
        var id = await sim.FirstServerIdAsync();

        var shutdown = await sim.PutAsync($"v3/cloud/servers/{id}/shutdown");
        Assert.Equal(200, shutdown.StatusCode);
        Assert.Equal(id, shutdown.Json.S("id"));
        Assert.Equal("shutting_down", shutdown.Json.S("state"));
        var seen = await sim.WaitStateAsync(id, "inactive");
        Assert.All(seen, s => Assert.Contains(s, new[] { "shutting_down", "inactive" }));

        var boot = await sim.PutAsync($"v3/cloud/servers/{id}/boot");
        Assert.Equal("booting", boot.Json.S("state"));
        seen = await sim.WaitStateAsync(id, "operational");
        AssertInOrder(seen, "booting", "bootstrapping", "operational");

        var reboot = await sim.PutAsync($"v2/cloud/servers/{id}/reboot");
        Assert.Equal("booting", reboot.Json.S("state"));
        seen = await sim.WaitStateAsync(id, "operational");
        AssertInOrder(seen, "booting", "bootstrapping", "operational");

        // Each step is an event, whatever the polling saw.
        var headers = (await sim.ListAsync($"v3/cloud/servers/{id}/events")).Select(e => e.S("header")).ToList();
        var tail = headers.Skip(headers.IndexOf("Server shutting down")).ToList();
        Assert.Equal(new[] { "Server shutting down", "Server inactive", "Server booting", "Server bootstrapping", "Server operational",
            "Server booting", "Server bootstrapping", "Server operational" }, tail);

        Assert.Equal(1, sim.LedgerCount("shutdown"));
        Assert.Equal(1, sim.LedgerCount("boot"));
        Assert.Equal(1, sim.LedgerCount("reboot"));
        Assert.All(sim.State.Ledger, e => Assert.Equal(id, e.Detail));
        var audit = (await sim.ListAsync("v3/audit/events")).Select(e => e.S("header")).ToList();
        Assert.Contains("Server boot", audit);
        Assert.Contains("Server shutdown", audit);
    }

    [Fact]
    public async Task ActionFromTheWrongState_Is422OnState_AndNotExecuted()
    {
        await using var sim = await ImcoSim.StartAsync(o => o.OperationDuration = TimeSpan.FromHours(1));
        var id = await sim.FirstServerIdAsync();
        var boot = await sim.PutAsync($"v3/cloud/servers/{id}/boot");
        Assert.Contains("operational", Errors(boot)["state"].Single());
        var decommission = await sim.DeleteAsync($"v3/cloud/servers/{id}");
        var message = Errors(decommission)["state"].Single();
        Assert.Contains("decommission", message);
        Assert.Contains("operational", message);
        Assert.Equal("operational", (await sim.ServerAsync(id)).S("state"));
        Assert.Empty(sim.State.Ledger);

        // While a step is pending the state stays put (the operation takes an hour here).
        Assert.Equal("shutting_down", (await sim.PutAsync($"v3/cloud/servers/{id}/shutdown")).Json.S("state"));
        Assert.Equal("shutting_down", (await sim.ServerAsync(id)).S("state"));
        Errors(await sim.PutAsync($"v3/cloud/servers/{id}/reboot"));
        Errors(await sim.DeleteAsync($"v3/cloud/servers/{id}"));
        Assert.Single(sim.State.Ledger);
    }

    [Fact]
    public async Task Commission_ThenDecommission()
    {
        await using var sim = await ImcoSim.StartAsync();
        var template = (await sim.ListAsync("v3/blueprint/templates"))[0].S("id");
        var account = (await sim.ListAsync("v3/settings/cloud_accounts"))[0];
        var plan = (await sim.ListAsync($"v3/cloud/cloud_providers/{account.S("cloud_provider_id")}/server_plans"))[0].S("id");
        var ssh = (await sim.ListAsync("v3/cloud/ssh_profiles"))[1].S("id");
        var before = (await sim.ListAsync("v3/cloud/servers")).Length;

        var r = await sim.PostAsync("v3/cloud/servers", new
        {
            name = "web-new", template_id = template, server_plan_id = plan, cloud_account_id = account.S("id"), ssh_profile_id = ssh,
        });
        Assert.True(r.StatusCode is >= 200 and < 300, r.Body);
        var id = r.Json.S("id")!;
        Assert.Matches(HexId, id);
        Assert.Equal("commissioning", r.Json.S("state"));
        Assert.Equal(ssh, r.Json.S("ssh_profile_id"));
        Assert.Equal(ssh, r.Json.GetProperty("ssh_profile_ids")[0].GetString());
        Assert.True(r.Json.IsNull("public_ip"));
        Assert.False(string.IsNullOrEmpty(r.Json.S("firewall_profile_id")));
        Assert.Equal(before + 1, (await sim.ListAsync("v3/cloud/servers")).Length);
        await sim.WaitStateAsync(id, "inactive");

        var delete = await sim.DeleteAsync($"v3/cloud/servers/{id}");
        Assert.True(delete.StatusCode is >= 200 and < 300, delete.Body);
        await sim.WaitStateAsync(id, "gone");
        Assert.Equal(404, (await sim.GetAsync($"v3/cloud/servers/{id}")).StatusCode);
        Assert.Equal(before, (await sim.ListAsync("v3/cloud/servers")).Length);
        Assert.Equal(1, sim.LedgerCount("commission"));
        Assert.Equal(1, sim.LedgerCount("decommission"));
    }

    [Fact]
    public async Task Commission_Validation_Is422ListingEveryField()
    {
        await using var sim = await ImcoSim.StartAsync();
        var errors = Errors(await sim.PostAsync("v3/cloud/servers", new { }));
        foreach (var field in new[] { "name", "template_id", "server_plan_id", "cloud_account_id" })
            Assert.Equal(new[] { ImcoInferred.Blank }, errors[field]);

        var account = (await sim.ListAsync("v3/settings/cloud_accounts"))[0];
        var otherProvider = (await sim.ListAsync("v3/cloud/cloud_providers")).First(p => p.S("id") != account.S("cloud_provider_id")).S("id");
        var foreignPlan = (await sim.ListAsync($"v3/cloud/cloud_providers/{otherProvider}/server_plans"))[0].S("id");
        errors = Errors(await sim.PostAsync("v3/cloud/servers", new
        {
            name = "x", template_id = "0123456789abcdef01234567", server_plan_id = foreignPlan, cloud_account_id = account.S("id"),
            ssh_profile_ids = new[] { "0123456789abcdef01234567" },
        }));
        Assert.Equal(new[] { ImcoInferred.Missing }, errors["template_id"]);
        Assert.Contains("cloud provider", errors["server_plan_id"].Single());
        Assert.Single(errors["ssh_profile_ids"]);
        Assert.DoesNotContain("name", errors.Keys);

        var malformed = await sim.SendAsync(HttpMethod.Post, "v3/cloud/servers", "{not json");
        Assert.Equal(400, malformed.StatusCode);
        Assert.Equal(JsonValueKind.String, malformed.Json.GetProperty("error").ValueKind);
        Assert.Empty(sim.State.Ledger);
    }

    [Fact]
    public async Task StallMarkerAndInjectedFailures_EndStalled_AndOverrideRecovers()
    {
        await using var sim = await ImcoSim.StartAsync(o => o.EnableControl = true);
        var template = (await sim.ListAsync("v3/blueprint/templates"))[0].S("id");
        var account = (await sim.ListAsync("v3/settings/cloud_accounts"))[0];
        var plan = (await sim.ListAsync($"v3/cloud/cloud_providers/{account.S("cloud_provider_id")}/server_plans"))[0].S("id");
        var stalled = (await sim.PostAsync("v3/cloud/servers", new { name = "web-stall-1", template_id = template, server_plan_id = plan, cloud_account_id = account.S("id") })).Json.S("id")!;
        await sim.WaitStateAsync(stalled, "commission_stalled");
        Errors(await sim.PutAsync($"v3/cloud/servers/{stalled}/boot"));
        Assert.True((await sim.DeleteAsync($"v3/cloud/servers/{stalled}")).StatusCode is >= 200 and < 300);

        // An ordinary server: the next boot fails through the shared control endpoint.
        var id = await sim.FirstServerIdAsync();
        await sim.PutAsync($"v3/cloud/servers/{id}/shutdown");
        await sim.WaitStateAsync(id, "inactive");
        var control = await sim.PostAsync("_sim/fail-operations", new { operation = "boot", count = 1 });
        Assert.Equal(200, control.StatusCode);
        await sim.PutAsync($"v3/cloud/servers/{id}/boot");
        var seen = await sim.WaitStateAsync(id, "stalled");
        Assert.DoesNotContain("operational", seen);
        var events = await sim.ListAsync($"v3/cloud/servers/{id}/events");
        Assert.Equal("error", events[^1].S("level"));

        var overridden = await sim.PutAsync($"v3/cloud/servers/{id}/override");
        Assert.Equal("operational", overridden.Json.S("state"));
        // The failure was used up: the next boot cycle succeeds.
        await sim.PutAsync($"v3/cloud/servers/{id}/reboot");
        await sim.WaitStateAsync(id, "operational");
    }

    // ------------------------------------------------------------------ attachments, profiles

    [Fact]
    public async Task FloatingIp_AttachAndDetach()
    {
        await using var sim = await ImcoSim.StartAsync();
        var server = await sim.FirstServerIdAsync();
        var ip = (await sim.ListAsync("v3/network/floating_ips"))[0];
        Assert.True(ip.IsNull("attached_server_id"));
        var id = ip.S("id");

        var attach = await sim.PostAsync($"v3/network/floating_ips/{id}/attached_server", new { attached_server_id = server });
        Assert.Equal(200, attach.StatusCode);
        Assert.Equal(server, attach.Json.S("attached_server_id"));
        Assert.Equal("attached", attach.Json.S("state"));
        Assert.Equal(id, Assert.Single(await sim.ListAsync($"v3/cloud/servers/{server}/floating_ips")).S("id"));
        Assert.Contains("already attached", Errors(await sim.PostAsync($"v3/network/floating_ips/{id}/attached_server", new { attached_server_id = server }))["attached_server_id"].Single());

        var detach = await sim.DeleteAsync($"v3/network/floating_ips/{id}/attached_server");
        Assert.True(detach.StatusCode is >= 200 and < 300);
        Assert.True((await sim.GetAsync($"v3/network/floating_ips/{id}")).Json.IsNull("attached_server_id"));
        Assert.Empty(await sim.ListAsync($"v3/cloud/servers/{server}/floating_ips"));
        Errors(await sim.DeleteAsync($"v3/network/floating_ips/{id}/attached_server"));
        Assert.Equal(ImcoInferred.Missing, Errors(await sim.PostAsync($"v3/network/floating_ips/{id}/attached_server", new { attached_server_id = "0123456789abcdef01234567" }))["attached_server_id"].Single());
        Assert.Equal(1, sim.LedgerCount("floating_ip_attach"));
        Assert.Equal(1, sim.LedgerCount("floating_ip_detach"));
    }

    [Fact]
    public async Task Volume_CreateAttachDetachDelete()
    {
        await using var sim = await ImcoSim.StartAsync();
        var server = await sim.FirstServerIdAsync();
        var account = (await sim.ListAsync("v3/settings/cloud_accounts"))[0];
        var storagePlan = (await sim.ListAsync($"v3/cloud/cloud_providers/{account.S("cloud_provider_id")}/storage_plans"))[0];
        Assert.Equal(storagePlan.S("id"), (await sim.GetAsync($"v3/storage/plans/{storagePlan.S("id")}")).Json.S("id"));

        var errors = Errors(await sim.PostAsync("v3/storage/volumes", new { name = "data", size = 100000, cloud_account_id = account.S("id"), storage_plan_id = storagePlan.S("id") }));
        Assert.Contains("between", errors["size"].Single());
        var created = await sim.PostAsync("v3/storage/volumes", new { name = "data", size = 50, cloud_account_id = account.S("id"), storage_plan_id = storagePlan.S("id") });
        Assert.True(created.StatusCode is >= 200 and < 300, created.Body);
        var id = created.Json.S("id")!;
        Assert.Equal(50, created.Json.I("size"));
        Assert.Equal("detached", created.Json.S("state"));

        var attach = await sim.PostAsync($"v3/storage/volumes/{id}/attached_server", new { attached_server_id = server });
        Assert.Equal(server, attach.Json.S("attached_server_id"));
        Assert.False(attach.Json.IsNull("device"));
        Assert.Equal(id, Assert.Single(await sim.ListAsync($"v3/cloud/servers/{server}/volumes")).S("id"));
        Assert.Contains("detach", Errors(await sim.DeleteAsync($"v3/storage/volumes/{id}"))["state"].Single());

        Assert.True((await sim.DeleteAsync($"v3/storage/volumes/{id}/attached_server")).StatusCode is >= 200 and < 300);
        Assert.True((await sim.DeleteAsync($"v3/storage/volumes/{id}")).StatusCode is >= 200 and < 300);
        Assert.Equal(404, (await sim.GetAsync($"v3/storage/volumes/{id}")).StatusCode);
        foreach (var op in new[] { "volume_create", "volume_attach", "volume_detach", "volume_delete" }) Assert.Equal(1, sim.LedgerCount(op));
    }

    [Fact]
    public async Task SshProfiles_CreateListDelete_WithValidation()
    {
        await using var sim = await ImcoSim.StartAsync();
        var before = (await sim.ListAsync("v3/cloud/ssh_profiles")).Length;
        var created = await sim.PostAsync("v3/cloud/ssh_profiles", new { name = "deploy", public_key = "ssh-ed25519 AAAAC3Nza deploy@example" });
        Assert.True(created.StatusCode is >= 200 and < 300, created.Body);
        var id = created.Json.S("id");
        Assert.Equal(before + 1, (await sim.ListAsync("v3/cloud/ssh_profiles")).Length);

        var errors = Errors(await sim.PostAsync("v3/cloud/ssh_profiles", new { name = "deploy", public_key = "not a key" }));
        Assert.Equal(new[] { ImcoInferred.Taken }, errors["name"]);
        Assert.Single(errors["public_key"]);

        // A profile a server uses cannot go.
        var used = (await sim.ServerAsync(await sim.FirstServerIdAsync())).S("ssh_profile_id");
        Errors(await sim.DeleteAsync($"v3/cloud/ssh_profiles/{used}"));

        Assert.True((await sim.DeleteAsync($"v3/cloud/ssh_profiles/{id}")).StatusCode is >= 200 and < 300);
        Assert.Equal(404, (await sim.GetAsync($"v3/cloud/ssh_profiles/{id}")).StatusCode);
        Assert.Equal(1, sim.LedgerCount("ssh_profile_create"));
        Assert.Equal(1, sim.LedgerCount("ssh_profile_delete"));
    }

    [Fact]
    public async Task PutRenamesAServer()
    {
        await using var sim = await ImcoSim.StartAsync();
        var id = await sim.FirstServerIdAsync();
        var r = await sim.PutAsync($"v3/cloud/servers/{id}", new { name = "renamed" });
        Assert.Equal("renamed", r.Json.S("name"));
        Assert.Equal("renamed", (await sim.ServerAsync(id)).S("name"));
        Assert.Equal(ImcoInferred.Blank, Errors(await sim.PutAsync($"v3/cloud/servers/{id}", new { name = "" }))["name"].Single());
    }

    // ------------------------------------------------------------------ shared switches

    [Fact]
    public async Task InjectedFaults_UseImcosErrorBody_AndAreNotExecuted()
    {
        await using var sim = await ImcoSim.StartAsync();
        var id = await sim.FirstServerIdAsync();
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Suspended503, PathContains = "/shutdown" });
        var r = await sim.PutAsync($"v3/cloud/servers/{id}/shutdown");
        Assert.Equal(503, r.StatusCode);
        Assert.Equal("application/json", r.ContentType);
        Assert.False(string.IsNullOrEmpty(r.Json.S("error")));
        Assert.Equal("operational", (await sim.ServerAsync(id)).S("state"));

        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Status500, PathContains = "/cloud/servers" });
        r = await sim.GetAsync("v3/cloud/servers");
        Assert.Equal(500, r.StatusCode);
        Assert.False(string.IsNullOrEmpty(r.Json.S("error")));
        Assert.Empty(sim.State.Ledger);
        Assert.Equal(8, (await sim.ListAsync("v3/cloud/servers")).Length);
    }

    [Fact]
    public async Task Banner_NamesTheCredentialsFolder_AndTheConnectLine()
    {
        var dir = await ImcoSim.SharedDirectoryAsync();
        var dll = Path.Combine(AppContext.BaseDirectory, "DciManager.Simulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--platform", "imco", "--urls", "https://127.0.0.1:0", "--credentials-dir", dir, "--servers", "3" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                lines.Add(line);
                if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal)) break;
            }
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        var text = string.Join('\n', lines);
        Assert.Contains($"Credentials: {dir} (reused)", text);
        var connect = Assert.Single(lines, l => l.StartsWith("Connect-Dci ", StringComparison.Ordinal));
        Assert.Matches(@"^Connect-Dci -Platform Imco -Uri https://127\.0\.0\.1:\d+ -ApiKeyPath .+$", connect);
        Assert.EndsWith(Path.Combine(dir, "api-key"), connect);
        Assert.Contains("Servers: 3", text);
    }

    [Fact]
    public void CommandLine_TakesTheCredentialsFolder()
    {
        var o = SimulatorCommandLine.Parse(new[] { "--platform", "imco", "--credentials-dir", "/tmp/x" });
        Assert.Equal(SimulatedPlatform.Imco, o.Platform);
        Assert.Equal("/tmp/x", o.CredentialsDirectory);
    }

    private static void AssertInOrder(IReadOnlyList<string> seen, params string[] order)
    {
        Assert.Equal(order[^1], seen[^1]);
        int last = -1;
        foreach (var s in seen)
        {
            int i = Array.IndexOf(order, s);
            Assert.True(i >= last, $"states out of order: {string.Join(" → ", seen)}");
            last = i;
        }
    }
}
