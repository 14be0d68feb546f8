using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.Simulator;
using SimCredentials = DciManager.Simulator.Imco.ImcoCredentials;

namespace DciManager.Client.Tests;

/// <summary>The IMCO simulator over loopback mutual TLS, for the client tests; one credentials folder per test run.</summary>
internal static class ImcoSimulator
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static string? s_directory;

    public const string KeyPassword = SimCredentials.KeyPassword;

    /// <summary>Generating RSA keys is the slow part of a start: one folder serves every test.</summary>
    public static async Task<string> DirectoryAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            if (s_directory is null)
            {
                var dir = Path.Combine(Path.GetTempPath(), "imco-client-tests-" + Guid.NewGuid().ToString("N")[..8]);
                SimCredentials.CreateOrReuse(dir).Dispose();
                s_directory = dir;
                AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, recursive: true); } catch (IOException) { } };
            }
            return s_directory;
        }
        finally { s_gate.Release(); }
    }

    public static async Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var o = new SimulatorOptions
        {
            Platform = SimulatedPlatform.Imco,
            Urls = "https://127.0.0.1:0",
            Servers = 8,
            OperationDuration = TimeSpan.FromMilliseconds(60),
            CredentialsDirectory = await DirectoryAsync(),
            EnableControl = true,
        };
        configure?.Invoke(o);
        return await SimulatorHost.StartAsync(o);
    }

    public static DciConnectionOptions Options(SimulatorHost sim, string? path = null) => new()
    {
        BaseUri = new Uri(sim.BaseAddress, path ?? ""),
        Timeout = TimeSpan.FromSeconds(20),
        Retry = new DciRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    };

    public static Task<DciConnection> ConnectAsync(SimulatorHost sim, string? apiVersion = null, string? path = null) =>
        DciConnection.ConnectImcoAsync(Options(sim, path), ImcoCredentials.FromApiKey(sim.ImcoCredentials!.ApiKeyDirectory), apiVersion);

    public static async Task<DciConnection> FastPollingAsync(SimulatorHost sim)
    {
        var c = await ConnectAsync(sim);
        c.Imco!.Polling = new DciWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(40) };
        return c;
    }
}

/// <summary>The IMCO client against the simulator's IMCO mode over real loopback mutual TLS.</summary>
public sealed class ImcoClientTests
{
    // ------------------------------------------------------------------ connect, each credential form

    [Fact]
    public async Task Connects_with_the_api_key_folder_and_checks_itself_with_ping()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        Assert.Equal(DciPlatform.Imco, c.Platform);
        Assert.Equal(DciAuthMethod.Certificate, c.AuthMethod);
        Assert.Equal("admin@example.com", c.UserEmail);
        Assert.Equal("v3", c.Imco!.ApiVersion);
        Assert.Equal(1, sim.State.RequestCount);
        var ping = await c.InvokeAsync(HttpMethod.Get, "ping");
        Assert.Equal("v3", ping.GetProperty("api_version").GetString());
    }

    [Fact]
    public async Task Connects_with_the_zip_the_pem_pair_the_encrypted_key_and_a_pfx_certificate()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        var s = sim.ImcoCredentials!;
        var forms = new Func<ImcoCredentials>[]
        {
            () => ImcoCredentials.FromApiKey(s.ApiKeyZipPath),
            () => ImcoCredentials.FromPem(s.ClientCertificatePath, s.ClientKeyPath, s.CaCertificatePath),
            () => ImcoCredentials.FromPem(Path.Combine(s.EncryptedKeyApiKeyDirectory, "cert.crt"), Path.Combine(s.EncryptedKeyApiKeyDirectory, "private", "cert.key"),
                s.CaCertificatePath, ImcoSimulator.KeyPassword),
            () => ImcoCredentials.FromApiKey(s.EncryptedKeyApiKeyDirectory, ImcoSimulator.KeyPassword),
            () => ImcoCredentials.FromCertificate(X509CertificateLoader.LoadPkcs12FromFile(s.PfxPath, ImcoSimulator.KeyPassword), s.CaCertificatePath),
        };
        foreach (var form in forms)
        {
            using var c = await DciConnection.ConnectImcoAsync(ImcoSimulator.Options(sim), form());
            Assert.Equal("admin@example.com", c.UserEmail);
            Assert.NotEmpty(await c.Imco!.ListServersAsync().ToListAsync());
        }
    }

    [Fact]
    public async Task The_address_may_carry_the_version_and_it_must_agree_with_ApiVersion()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using (var v2 = await ImcoSimulator.ConnectAsync(sim, path: "v2"))
        {
            Assert.Equal("v2", v2.Imco!.ApiVersion);
            Assert.Equal("v2", (await v2.InvokeAsync(HttpMethod.Get, "ping")).GetProperty("api_version").GetString());
        }
        using (var asked = await ImcoSimulator.ConnectAsync(sim, apiVersion: "v2"))
            Assert.Equal("v2", asked.Imco!.ApiVersion);
        var before = sim.State.RequestCount;
        var conflict = await Assert.ThrowsAsync<ArgumentException>(() => ImcoSimulator.ConnectAsync(sim, apiVersion: "v2", path: "v3/"));
        Assert.Contains("v3", conflict.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => ImcoSimulator.ConnectAsync(sim, apiVersion: "v9"));
        Assert.Equal(before, sim.State.RequestCount);
    }

    // ------------------------------------------------------------------ the primitives

    [Fact]
    public async Task Lists_gets_and_acts_on_servers_attached_to_the_connection()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var servers = await c.Imco!.ListServersAsync().ToListAsync();
        Assert.Equal(8, servers.Count);
        Assert.All(servers, s =>
        {
            Assert.Same(c, s.Connection);
            Assert.Matches("^[0-9a-f]{24}$", s.Id);
            Assert.False(string.IsNullOrEmpty(s.Name));
            Assert.Equal("server", s.ResourceType);
        });
        var running = servers.First(s => s.State == "operational");
        Assert.Equal("on", running.PowerStatus);
        var one = await c.Imco.GetServerAsync(running.Id);
        Assert.Equal(running.Name, one.Name);
        Assert.Equal(running.ToString(), one.Name);
        var rebooting = await c.Imco.RebootAsync(running.Id);
        Assert.Same(c, rebooting.Connection);
        Assert.Equal(1, sim.State.Ledger.Count(e => e.Operation == "reboot"));
    }

    [Fact]
    public async Task Unknown_fields_are_kept_and_the_generic_primitives_read_any_model()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var plans = await c.Imco!.ListAsync<ImcoTestRow>("cloud/cloud_providers", default).ToListAsync();
        Assert.NotEmpty(plans);
        Assert.All(plans, p => { Assert.Same(c, p.Connection); Assert.Matches("^[0-9a-f]{24}$", p.Id); });
        var server = (await c.Imco.ListServersAsync().ToListAsync())[0];
        var generic = await c.Imco.GetAsync<ImcoTestRow>("cloud/servers/" + server.Id, default);
        Assert.Equal(server.Name, generic.Name);
        Assert.True(generic.AdditionalProperties is not null);
        var renamed = await c.Imco.SendAsync<DciCloudServer>(HttpMethod.Put, "cloud/servers/" + server.Id, new { Name = "renamed-01" }, default);
        Assert.Equal("renamed-01", renamed.Name);
        var viaElement = await c.Imco.SendAsync<DciCloudServer>(HttpMethod.Put, "cloud/servers/" + server.Id,
            JsonDocument.Parse("""{"name":"renamed-02"}""").RootElement, default);
        Assert.Equal("renamed-02", viaElement.Name);
    }

    [Fact]
    public async Task Not_found_and_validation_answers_have_their_kinds_and_list_every_field_message()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var missing = await Assert.ThrowsAsync<DciApiException>(() => c.Imco!.GetServerAsync("0123456789abcdef01234567"));
        Assert.Equal(404, missing.HttpStatus);
        Assert.Equal(DciErrorKind.NotFound, missing.Kind);
        Assert.Contains("not found", missing.Message);
        var invalid = await Assert.ThrowsAsync<DciApiException>(() => c.Imco!.SendAsync<DciCloudServer>(HttpMethod.Post, "cloud/servers", new { }, default));
        Assert.Equal(422, invalid.HttpStatus);
        Assert.Equal(DciErrorKind.InvalidArgument, invalid.Kind);
        foreach (var field in new[] { "name", "template_id", "server_plan_id", "cloud_account_id" }) Assert.Contains(field, invalid.Message);
        var unknownPath = await Assert.ThrowsAsync<DciApiException>(() => c.InvokeAsync(HttpMethod.Get, "no/such/path"));
        Assert.Equal(DciErrorKind.NotFound, unknownPath.Kind);
        Assert.Contains("Not Found", unknownPath.Message);
    }

    [Fact]
    public async Task Ids_are_checked_before_any_request()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var before = sim.State.RequestCount;
        foreach (var bad in new[] { "", "12", "0123456789abcdef0123456z", "../../etc/passwd/0123456789", "0123456789abcdef01234567/boot" })
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(() => c.Imco!.GetServerAsync(bad));
            Assert.Contains("24 hexadecimal", e.Message);
        }
        await Assert.ThrowsAsync<ArgumentException>(() => c.Imco!.BootAsync("nope"));
        await Assert.ThrowsAsync<ArgumentException>(() => c.Imco!.DecommissionServerAsync("nope"));
        await Assert.ThrowsAsync<ArgumentException>(() => c.Imco!.CommissionServerAsync(new ImcoNewServer
        {
            Name = "x", TemplateId = "t", ServerPlanId = "0123456789abcdef01234567", CloudAccountId = "0123456789abcdef01234567",
        }));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in c.Imco!.WaitForServersAsync(new[] { "bad" }, _ => true, _ => null, TimeSpan.FromSeconds(1), null, default)) { }
        });
        Assert.Equal(before, sim.State.RequestCount);
    }

    [Fact]
    public async Task Decommission_is_refused_locally_unless_the_state_allows_it()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        var running = (await c.Imco!.ListServersAsync().ToListAsync()).First(s => s.State == "operational");
        var refused = await Assert.ThrowsAsync<DciApiException>(() => c.Imco.DecommissionServerAsync(running.Id));
        Assert.Equal(DciErrorKind.InvalidState, refused.Kind);
        Assert.Contains("operational", refused.Message);
        Assert.Equal(0, sim.State.Ledger.Count(e => e.Operation == "decommission"));
        c.Imco.Polling = new DciWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(20), MaxPollInterval = TimeSpan.FromMilliseconds(40) };
        await c.Imco.ShutdownAsync(running.Id);
        var down = await c.Imco.WaitForServersAsync(new[] { running.Id }, s => s.State == "inactive", _ => null, TimeSpan.FromSeconds(20), null, default).SingleAsync();
        Assert.True(down.IsSuccessful, down.Error?.Message);
        await c.Imco.DecommissionServerAsync(running.Id);
        Assert.Equal(1, sim.State.Ledger.Count(e => e.Operation == "decommission"));
        var gone = await c.Imco.WaitForServersAsync(new[] { running.Id }, _ => false, _ => null, TimeSpan.FromSeconds(20), null, goneIsDone: true, default).SingleAsync();
        Assert.True(gone.IsSuccessful);
        Assert.True(gone.Gone);
    }
}

/// <summary>Any IMCO object read by the generic primitives (reflection-read: not in ImcoJsonContext).</summary>
public sealed class ImcoTestRow : DciObject
{
    public string Id { get; set; } = "";
    public string? Name { get; set; }
}
