using System.Security.Cryptography;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Platforms.Imco;
using DciManager.Client.Platforms.OpenDcim;
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

    /// <summary>A hostile mutual-TLS server with the simulator's server certificate (so the API key's CA trusts it); ping answers ok.</summary>
    public static async Task<HostileServer> HostileAsync(Func<HostileRequest, Stream, CancellationToken, Task<bool>?> handler,
        bool refuseClientCertificates = false, System.Security.Authentication.SslProtocols protocols = System.Security.Authentication.SslProtocols.None)
    {
        using var credentials = SimCredentials.CreateOrReuse(await DirectoryAsync());
#pragma warning disable SYSLIB0057
        var serverCertificate = new X509Certificate2(credentials.ServerCertificate.Export(X509ContentType.Pkcs12));
#pragma warning restore SYSLIB0057
        return HostileServer.StartTls(serverCertificate, (request, stream, ct) =>
            handler(request, stream, ct) ?? (request.Path.EndsWith("/ping", StringComparison.Ordinal)
                ? HostileServer.Reply(stream, 200, """{"status":"ok","api_version":"v3"}""", ct: ct)
                : HostileServer.Reply(stream, 404, "Not Found", "text/plain", ct: ct)), refuseClientCertificates, protocols);
    }

    public static async Task<DciConnection> ConnectAsync(HostileServer hostile, int maxTransient = 4, int? maxResponseBytes = null, TimeSpan? suspendedMaxWait = null)
    {
        var defaults = HostileServer.Options(hostile.BaseUri, maxTransient: maxTransient, suspendedMaxWait: suspendedMaxWait);
        var options = new DciConnectionOptions
        {
            BaseUri = defaults.BaseUri, Timeout = defaults.Timeout, Retry = defaults.Retry, MaxResponseBytes = maxResponseBytes ?? defaults.MaxResponseBytes,
        };
        return await DciConnection.ConnectImcoAsync(options, ImcoCredentials.FromApiKey(Path.Combine(await DirectoryAsync(), "api-key")));
    }

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

    [Theory]
    [InlineData("booting", "on")]
    [InlineData("bootstrapping", "on")]
    [InlineData("operational", "on")]
    [InlineData("shutting_down", "on")]
    [InlineData("commissioning", "off")]
    [InlineData("inactive", "off")]
    [InlineData("decommissioning", "off")]
    [InlineData("commission_stalled", "off")]
    [InlineData("stalled", "unknown")]
    [InlineData(null, "unknown")]
    [InlineData("hibernating", "unknown")]
    public void PowerStatus_reads_IMCOs_state_as_DCImanager_words_it(string? state, string power) =>
        Assert.Equal(power, new DciCloudServer { State = state }.PowerStatus);

    [Fact]
    public void An_id_is_24_hex_characters_trimmed_and_escaped_into_its_segment()
    {
        Assert.Equal("5aabb7521de0240abb000001", ImcoId.Validate(" 5aabb7521de0240abb000001 ", "server"));
        Assert.Equal("5AABB7521DE0240ABB000001", ImcoId.Segment("5AABB7521DE0240ABB000001", "server"));
        var e = Assert.Throws<ArgumentException>(() => ImcoId.Validate("5aabb7521de0240abb00000\u001b", "volume"));
        Assert.Contains("IMCO volume id", e.Message);
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.Throws<ArgumentException>(() => ImcoId.Validate(null, "server"));
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
    // ------------------------------------------------------------------ refused certificates: authentication errors that name the certificate

    [Fact]
    public async Task A_client_certificate_the_server_refuses_in_the_handshake_is_an_authentication_error_naming_it()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        var wrong = ImcoCredentials.FromApiKey(sim.ImcoCredentials!.WrongCaApiKeyDirectory);
        var subject = wrong.Subject;
        var refused = await Assert.ThrowsAsync<DciApiException>(() => DciConnection.ConnectImcoAsync(ImcoSimulator.Options(sim), wrong));
        Assert.Equal(DciErrorKind.Authentication, refused.Kind);
        Assert.Equal("CertificateRefused", refused.ErrorType);
        Assert.Contains(subject, refused.Message);
        Assert.Contains("Some Other CA", refused.Message);
        Assert.Contains("expires", refused.Message);
        Assert.Equal(0, sim.State.RequestCount);
    }

    [Fact]
    public async Task A_TLS_alert_refusing_the_certificate_in_the_handshake_is_an_authentication_error_naming_it()
    {
        // TLS 1.2 judges the client certificate inside the handshake (TLS 1.3 after it): either way the refusal names the certificate.
        await using var hostile = await ImcoSimulator.HostileAsync((_, _, _) => null, refuseClientCertificates: true,
            protocols: System.Security.Authentication.SslProtocols.Tls12);
        var refused = await Assert.ThrowsAsync<DciApiException>(() => ImcoSimulator.ConnectAsync(hostile));
        Assert.Equal(DciErrorKind.Authentication, refused.Kind);
        Assert.Equal("CertificateRefused", refused.ErrorType);
        Assert.Contains("client certificate 'CN=admin@example.com", refused.Message);
        Assert.Contains("thumbprint", refused.Message);
        Assert.Empty(hostile.Requests);
    }

    [Fact]
    public async Task A_server_not_signed_by_the_given_CA_is_refused_and_the_error_says_so()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        var s = sim.ImcoCredentials!;
        var credentials = ImcoCredentials.FromPem(s.ClientCertificatePath, s.ClientKeyPath, s.OtherCaCertificatePath);
        var refused = await Assert.ThrowsAsync<DciApiException>(() => DciConnection.ConnectImcoAsync(ImcoSimulator.Options(sim), credentials));
        Assert.Equal(DciErrorKind.Authentication, refused.Kind);
        Assert.Equal("ServerCertificateUntrusted", refused.ErrorType);
        Assert.Contains("not signed by the CA given", refused.Message);
        Assert.Contains("Some Other CA", refused.Message);
        Assert.Contains("CN=localhost", refused.Message);
        Assert.Equal(0, sim.State.RequestCount);
    }

    [Fact]
    public async Task A_server_chained_through_an_intermediate_to_the_given_CA_is_trusted_and_without_it_is_not()
    {
        // root CA (the ca_cert.pem a user is given) -> intermediate CA -> server certificate for 127.0.0.1.
        using var rootKey = RSA.Create(2048);
        var rootRequest = new CertificateRequest("CN=IMCO Test Root CA", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var intermediateKey = RSA.Create(2048);
        var intermediateRequest = new CertificateRequest("CN=IMCO Test Intermediate CA", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediatePublic = intermediateRequest.Create(root, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), new byte[] { 2 });
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        using var leafKey = RSA.Create(2048);
        var leafRequest = new CertificateRequest("CN=127.0.0.1", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new("1.3.6.1.5.5.7.3.1") }, false));
        using var leafPublic = leafRequest.Create(intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(3), new byte[] { 3 });
#pragma warning disable SYSLIB0057
        using var leaf = new X509Certificate2(leafPublic.CopyWithPrivateKey(leafKey).Export(X509ContentType.Pkcs12));
        using var intermediateOnly = new X509Certificate2(intermediate.Export(X509ContentType.Cert));
#pragma warning restore SYSLIB0057
        var rootPath = Path.Combine(Path.GetTempPath(), $"imco-root-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(rootPath, root.ExportCertificatePem());
        try
        {
            await using var sim = await ImcoSimulator.StartAsync();
            var s = sim.ImcoCredentials!;
            Func<HostileRequest, Stream, CancellationToken, Task<bool>?> ping = (request, stream, ct) =>
                HostileServer.Reply(stream, 200, """{"status":"ok","api_version":"v3"}""", ct: ct);

            await using var chained = HostileServer.StartTlsWithChain(leaf, new X509Certificate2Collection { intermediateOnly }, ping);
            using var credentials = ImcoCredentials.FromPem(s.ClientCertificatePath, s.ClientKeyPath, rootPath);
            using var c = await DciConnection.ConnectImcoAsync(new DciConnectionOptions { BaseUri = chained.BaseUri }, credentials);
            Assert.Equal(DciPlatform.Imco, c.Platform);

            // The same leaf without its intermediate does not chain to the root: refused, and the error says why.
            await using var unchained = HostileServer.StartTls(leaf, ping);
            using var again = ImcoCredentials.FromPem(s.ClientCertificatePath, s.ClientKeyPath, rootPath);
            var refused = await Assert.ThrowsAsync<DciApiException>(() => DciConnection.ConnectImcoAsync(new DciConnectionOptions { BaseUri = unchained.BaseUri }, again));
            Assert.Equal("ServerCertificateUntrusted", refused.ErrorType);
        }
        finally
        {
            File.Delete(rootPath);
        }
    }

    [Fact]
    public async Task Certificates_that_cannot_work_are_refused_before_anything_is_sent()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        var s = sim.ImcoCredentials!;
        var encryptedCert = Path.Combine(s.EncryptedKeyApiKeyDirectory, "cert.crt");
        var encryptedKey = Path.Combine(s.EncryptedKeyApiKeyDirectory, "private", "cert.key");

        var expired = Assert.Throws<DciApiException>(() => ImcoCredentials.FromApiKey(s.ExpiredApiKeyDirectory));
        Assert.Equal(DciErrorKind.Authentication, expired.Kind);
        Assert.Equal("CertificateExpired", expired.ErrorType);
        Assert.Contains("CN=expired@example.com", expired.Message);

        var wrongPassword = Assert.Throws<DciApiException>(() => ImcoCredentials.FromPem(encryptedCert, encryptedKey, null, "not-the-password"));
        Assert.Equal(DciErrorKind.Authentication, wrongPassword.Kind);
        Assert.Equal("KeyPasswordWrong", wrongPassword.ErrorType);
        Assert.Contains("CN=admin@example.com", wrongPassword.Message);
        Assert.DoesNotContain("not-the-password", wrongPassword.ToString());

        var noPassword = Assert.Throws<DciApiException>(() => ImcoCredentials.FromApiKey(s.EncryptedKeyApiKeyDirectory));
        Assert.Equal("KeyPasswordMissing", noPassword.ErrorType);
        Assert.Contains("-KeyPassword", noPassword.Message);

        using var publicOnly = X509CertificateLoader.LoadCertificateFromFile(s.ClientCertificatePath);
        var noKey = Assert.Throws<DciApiException>(() => ImcoCredentials.FromCertificate(publicOnly));
        Assert.Equal(DciErrorKind.Authentication, noKey.Kind);
        Assert.Equal("CertificateWithoutKey", noKey.ErrorType);
        Assert.Contains("CN=admin@example.com", noKey.Message);

        var mismatch = Assert.Throws<ArgumentException>(() => ImcoCredentials.FromPem(s.ClientCertificatePath, Path.Combine(s.WrongCaApiKeyDirectory, "private", "cert.key")));
        Assert.Contains("does not belong to the certificate", mismatch.Message);
        var missing = Assert.Throws<ArgumentException>(() => ImcoCredentials.FromPem(Path.Combine(s.Directory, "nope.crt"), s.ClientKeyPath));
        Assert.Contains("does not exist", missing.Message);
        Assert.Throws<ArgumentException>(() => ImcoCredentials.FromApiKey(Path.Combine(s.Directory, "no-such-folder")));
        Assert.Throws<ArgumentException>(() => ImcoCredentials.FromApiKey(s.CaCertificatePath));
        Assert.Equal(0, sim.State.RequestCount);
        Assert.Equal(0, sim.State.ConnectionCount);
    }

    [Fact]
    public async Task Plain_http_is_refused_before_any_connection()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        var options = new DciConnectionOptions { BaseUri = new Uri($"http://127.0.0.1:{sim.BaseAddress.Port}/") };
        var e = await Assert.ThrowsAsync<ArgumentException>(() => DciConnection.ConnectImcoAsync(options, ImcoCredentials.FromApiKey(sim.ImcoCredentials!.ApiKeyDirectory)));
        Assert.Contains("HTTPS only", e.Message);
        Assert.Equal(0, sim.State.ConnectionCount);
    }

    // ------------------------------------------------------------------ the wire

    [Fact]
    public async Task Requests_reuse_one_TLS_connection()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.ConnectAsync(sim);
        for (var i = 0; i < 20; i++) await c.Imco!.ListServersAsync().ToListAsync();
        var server = (await c.Imco!.ListServersAsync().ToListAsync())[0];
        for (var i = 0; i < 10; i++) await c.Imco.GetServerAsync(server.Id);
        Assert.Equal(32, sim.State.RequestCount);
        Assert.Equal(1, sim.State.ConnectionCount);
    }

    [Fact]
    public async Task The_certificate_is_offered_and_no_auth_header_or_cookie_is_sent_and_bodies_are_json()
    {
        await using var hostile = await ImcoSimulator.HostileAsync((request, stream, ct) =>
            request.Method == "PUT" ? HostileServer.Reply(stream, 200, """{"id":"0123456789abcdef01234567","name":"a","state":"booting"}""", ct: ct) : null);
        using var c = await ImcoSimulator.ConnectAsync(hostile);
        var booting = await c.Imco!.BootAsync("0123456789abcdef01234567");
        Assert.Equal("booting", booting.State);
        Assert.Equal("on", booting.PowerStatus);
        Assert.All(hostile.ClientCertificates, subject => Assert.Contains("CN=admin@example.com", subject));
        var requests = hostile.Requests.ToArray();
        Assert.Equal("/v3/ping", requests[0].Path);
        Assert.Empty(requests[0].Body);
        var put = requests.Single(r => r.Method == "PUT");
        Assert.Equal("/v3/cloud/servers/0123456789abcdef01234567/boot", put.Path);
        Assert.Equal("{}", put.BodyText);
        Assert.StartsWith("application/json", put.Headers["Content-Type"]);
        Assert.All(requests, r => { Assert.False(r.Headers.ContainsKey("Authorization")); Assert.False(r.Headers.ContainsKey("Cookie")); });
    }

    [Fact]
    public async Task The_first_server_reaches_the_caller_before_the_list_is_read_to_its_end()
    {
        static string Server(int i) => $$"""{"id":"{{i.ToString("x24", CultureInfo.InvariantCulture)}}","name":"srv-{{i}}","state":"operational","label_ids":[],"extra_field":{{i}}}""";
        var head = Encoding.UTF8.GetBytes("[" + Server(1) + ",");
        var tail = Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(2, 500).Select(Server)) + "]");
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tailSent = false;
        await using var hostile = await ImcoSimulator.HostileAsync((request, stream, ct) =>
        {
            if (!request.Path.EndsWith("/cloud/servers", StringComparison.Ordinal)) return null;
            return Stream();
            async Task<bool> Stream()
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {head.Length + tail.Length}\r\n\r\n"), ct);
                await stream.WriteAsync(head, ct);
                await stream.FlushAsync(ct);
                await Task.WhenAny(firstArrived.Task, Task.Delay(TimeSpan.FromSeconds(30), ct));
                tailSent = true;
                await stream.WriteAsync(tail, ct);
                await stream.FlushAsync(ct);
                return true;
            }
        });
        using var c = await ImcoSimulator.ConnectAsync(hostile);
        var count = 0;
        await foreach (var server in c.Imco!.ListServersAsync())
        {
            if (count++ == 0)
            {
                Assert.Equal("srv-1", server.Name);
                Assert.False(tailSent, "the first server arrived only after the whole list was sent");
                firstArrived.SetResult();
            }
            Assert.Same(c, server.Connection);
            Assert.NotNull(server.AdditionalProperties);
        }
        Assert.Equal(501, count);
    }

    [Fact]
    public async Task Reading_a_bare_list_of_50000_servers_keeps_one_small_buffer()
    {
        static string Server(int i) => $$"""{"id":"{{i.ToString("x24", CultureInfo.InvariantCulture)}}","name":"srv-{{i}}","state":"operational","public_ip":"203.0.113.9","label_ids":["aa","bb"]}""";
        var json = "[" + string.Join(",", Enumerable.Range(1, 50_000).Select(Server)) + "]";
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var rows = 0;
        var highWater = 0;
        var count = await OpenDcimStreamReader.ReadAsync(body, null, (batch, first) =>
        {
            for (var i = 0; i < batch.Length; i++) Assert.Equal($"srv-{first + i + 1}", batch[i].GetProperty("name").GetString());
            rows += batch.Length;
            return ValueTask.CompletedTask;
        }, default, high => highWater = high);
        Assert.Equal(50_000, rows);
        Assert.Equal(50_000, count);
        Assert.True(body.Length > 5_000_000, $"the answer is {body.Length} bytes");
        Assert.True(highWater <= 128 * 1024, $"the reader grew its buffer to {highWater} bytes");
    }

    [Fact]
    public async Task A_list_cut_short_or_that_is_not_a_list_is_an_error_not_an_empty_list()
    {
        var answers = new Queue<string>(new[] { """[{"id":"0123456789abcdef01234567","name":"a"},""", """{"id":"x"}""", """[1,2]""" });
        await using var hostile = await ImcoSimulator.HostileAsync((request, stream, ct) =>
            request.Path.EndsWith("/cloud/servers", StringComparison.Ordinal) ? HostileServer.Reply(stream, 200, answers.Dequeue(), ct: ct) : null);
        using var c = await ImcoSimulator.ConnectAsync(hostile, maxTransient: 1);
        await Assert.ThrowsAnyAsync<DciException>(() => c.Imco!.ListServersAsync().ToListAsync());
        await Assert.ThrowsAnyAsync<DciException>(() => c.Imco!.ListServersAsync().ToListAsync());
        var notObjects = await Assert.ThrowsAnyAsync<DciException>(() => c.Imco!.ListServersAsync().ToListAsync());
        Assert.Contains("not an object", notObjects.Message);
    }

    public static TheoryData<int, string, string, DciErrorKind, string[]> ErrorBodies => new()
    {
        { 422, "application/json", """{"errors":{"name":["can't be blank","is too short"],"template_id":["does not exist"]}}""", DciErrorKind.InvalidArgument,
            new[] { "name: can't be blank, is too short", "template_id: does not exist" } },
        { 404, "application/json", """{"error":"Server not found"}""", DciErrorKind.NotFound, new[] { "Server not found" } },
        { 500, "text/plain", "Internal trouble\u001b[31m in the\r\nbackend", DciErrorKind.ServerError, new[] { "Internal trouble [31m in the backend" } },
        { 403, "application/json", """{"error":"Forbidden"}""", DciErrorKind.Authentication, new[] { "Forbidden", "CN=admin@example.com", "expires" } },
        { 401, "text/html", "<h1>401</h1>", DciErrorKind.Authentication, new[] { "<h1>401</h1>", "CN=admin@example.com" } },
        { 409, "application/json", """{"errors":"Already attached"}""", DciErrorKind.ResourceExists, new[] { "Already attached" } },
    };

    [Theory]
    [MemberData(nameof(ErrorBodies))]
    public async Task Error_bodies_in_each_of_IMCOs_shapes_become_one_clear_error(int status, string contentType, string body, DciErrorKind kind, string[] words)
    {
        await using var hostile = await ImcoSimulator.HostileAsync((request, stream, ct) =>
            request.Path.EndsWith("/ping", StringComparison.Ordinal) ? null : HostileServer.Reply(stream, status, body, contentType, ct: ct));
        using var c = await ImcoSimulator.ConnectAsync(hostile, maxTransient: 1);
        var e = await Assert.ThrowsAsync<DciApiException>(() => c.Imco!.GetServerAsync("0123456789abcdef01234567"));
        Assert.Equal(status, e.HttpStatus);
        Assert.Equal(kind, e.Kind);
        foreach (var word in words) Assert.Contains(word, e.Message);
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }

    [Fact]
    public async Task A_huge_raw_error_body_is_read_and_quoted_only_in_part()
    {
        var huge = new string('x', 5 * 1024 * 1024);
        await using var hostile = await ImcoSimulator.HostileAsync((request, stream, ct) =>
            request.Path.EndsWith("/ping", StringComparison.Ordinal) ? null : HostileServer.Reply(stream, 500, huge, "text/plain", ct: ct));
        using var c = await ImcoSimulator.ConnectAsync(hostile, maxTransient: 1);
        var e = await Assert.ThrowsAsync<DciApiException>(() => c.Imco!.GetServerAsync("0123456789abcdef01234567"));
        Assert.True(e.Message.Length < 2000, $"the message is {e.Message.Length} characters");
    }

    [Fact]
    public async Task Mutated_real_IMCO_bodies_never_crash_hang_or_leak_raw_exceptions()
    {
        byte[] listBody, serverBody;
        await using (var sim = await ImcoSimulator.StartAsync())
        {
            using var c = await ImcoSimulator.ConnectAsync(sim);
            listBody = Encoding.UTF8.GetBytes((await c.InvokeAsync(HttpMethod.Get, "cloud/servers")).GetRawText());
            serverBody = Encoding.UTF8.GetBytes(JsonSerializer.Serialize((await c.InvokeAsync(HttpMethod.Get, "cloud/servers")).EnumerateArray().First()));
        }
        var current = new MalformedBodyFuzzTests.Answer("original", 200, "application/json", listBody);
        await using var hostile = await ImcoSimulator.HostileAsync((request, stream, ct) =>
        {
            if (request.Path.EndsWith("/ping", StringComparison.Ordinal)) return null;
            var answer = current;
            return Serve();
            async Task<bool> Serve()
            {
                if (answer.NotHttp) { await stream.WriteAsync(answer.Body, ct); return false; }
                var extra = answer.ContentEncoding is null ? null : "Content-Encoding: " + answer.ContentEncoding;
                if (!answer.CutShort) { await HostileServer.ReplyBytes(stream, answer.Status, answer.Body, answer.ContentType, extraHeaders: extra, ct: ct); return true; }
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {answer.Status} X\r\nContent-Type: application/json\r\nContent-Length: {answer.Body.Length * 2 + 1}\r\n\r\n"), ct);
                await stream.WriteAsync(answer.Body, ct);
                return false;
            }
        });
        using var connection = await ImcoSimulator.ConnectAsync(hostile, maxTransient: 2, maxResponseBytes: MalformedBodyFuzzTests.FuzzMaxResponseBytes,
            suspendedMaxWait: TimeSpan.FromMilliseconds(30));
        var calls = new (string Name, byte[] Body, Func<Task> Call)[]
        {
            ("list", listBody, async () => await connection.Imco!.ListServersAsync().ToListAsync()),
            ("get", serverBody, () => connection.Imco!.GetServerAsync("0123456789abcdef01234567")),
            ("action", serverBody, () => connection.Imco!.RebootAsync("0123456789abcdef01234567")),
        };
        var problems = new List<string>();
        var tried = 0;
        var succeeded = 0;
        foreach (var seed in new[] { 6_2024, 5, 6, 13 })
        {
            var random = new Random(seed);
            foreach (var (name, body, call) in calls)
            {
                current = new MalformedBodyFuzzTests.Answer("original", 200, "application/json", body);
                await call().WaitAsync(TimeSpan.FromSeconds(30));
                foreach (var answer in MalformedBodyFuzzTests.Mutate(body, 200, random))
                {
                    tried++;
                    current = answer;
                    Exception? thrown = null;
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    try { await call().WaitAsync(TimeSpan.FromSeconds(30)); }
                    catch (Exception ex) { thrown = ex; }
                    var label = $"{name}/{answer.Kind} (HTTP {answer.Status}, {answer.Body.Length} bytes, {watch.ElapsedMilliseconds} ms)";
                    if (thrown is null)
                    {
                        succeeded++;
                        if (answer.Status is < 200 or >= 300 || answer.CutShort || answer.NotHttp) problems.Add($"{label}: succeeded although the answer was an error");
                        continue;
                    }
                    if (MalformedBodyFuzzTests.s_mustSucceed.Contains(answer.Kind) && answer.Status is >= 200 and < 300)
                        problems.Add($"{label}: a valid body was refused: {thrown.Message}");
                    if (thrown is TimeoutException) problems.Add($"{label}: did not end within 30 s");
                    else if (thrown is not DciException) problems.Add($"{label}: leaked {thrown.GetType().FullName}: {thrown.Message}");
                    else if (string.IsNullOrWhiteSpace(thrown.Message)) problems.Add($"{label}: an error without a message");
                }
            }
        }
        Assert.True(tried >= 100, $"only {tried} bodies tried");
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
        Assert.True(succeeded > 0);
    }

    // ------------------------------------------------------------------ the one state wait

    [Fact]
    public async Task The_wait_polls_one_server_list_per_round_for_every_server_and_yields_each_as_it_ends()
    {
        await using var sim = await ImcoSimulator.StartAsync(o => o.Servers = 12);
        using var c = await ImcoSimulator.FastPollingAsync(sim);
        var running = (await c.Imco!.ListServersAsync().ToListAsync()).Where(s => s.State == "operational").Take(5).ToList();
        Assert.Equal(5, running.Count);
        foreach (var s in running) await c.Imco.RebootAsync(s.Id);
        var before = sim.State.RequestCount;
        var polls = 0;
        var results = await c.Imco.WaitForServersAsync(running.Select(s => s.Id).ToList(), s => s.State == "operational", _ => null, TimeSpan.FromSeconds(30),
            (done, total) => { polls++; Assert.Equal(5, total); }, default).ToListAsync();
        var requests = sim.State.RequestCount - before;
        Assert.Equal(5, results.Count);
        Assert.All(results, r => { Assert.True(r.IsSuccessful, r.Error?.Message); Assert.Equal("operational", r.Server!.State); Assert.Same(c, r.Server.Connection); });
        Assert.Equal(running.Select(s => s.Id).OrderBy(i => i), results.Select(r => r.Id).OrderBy(i => i));
        // One progress report before the first poll, then one per poll: each poll is exactly one request for all five servers.
        Assert.True(polls >= 2);
        Assert.Equal(polls - 1, requests);
    }

    [Fact]
    public async Task A_stalled_server_is_a_failed_wait_that_names_the_state()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.FastPollingAsync(sim);
        var running = (await c.Imco!.ListServersAsync().ToListAsync()).Where(s => s.State == "operational").Take(2).ToList();
        sim.State.FailNextOperations(1, "reboot");
        foreach (var s in running) await c.Imco.RebootAsync(s.Id);
        var results = await c.Imco.WaitForServersAsync(running.Select(s => s.Id).ToList(), s => s.State == "operational",
            s => s.State is "stalled" ? "stalled" : null, TimeSpan.FromSeconds(30), null, default).ToListAsync();
        var failed = Assert.Single(results, r => r.Outcome == DciWaitOutcome.Failed);
        Assert.Contains("stalled", failed.Error!.Message);
        Assert.Contains(failed.Server!.Name!, failed.Error.Message);
        Assert.Equal(DciErrorKind.InvalidState, ((DciApiException)failed.Error).Kind);
        Assert.Single(results, r => r.IsSuccessful);
    }

    [Fact]
    public async Task A_wait_that_times_out_reports_the_servers_not_finished_as_outcome_unknown()
    {
        await using var sim = await ImcoSimulator.StartAsync(o => o.OperationDuration = TimeSpan.FromMinutes(10));
        using var c = await ImcoSimulator.FastPollingAsync(sim);
        var running = (await c.Imco!.ListServersAsync().ToListAsync()).First(s => s.State == "operational");
        await c.Imco.ShutdownAsync(running.Id);
        var result = await c.Imco.WaitForServersAsync(new[] { running.Id }, s => s.State == "inactive", _ => null, TimeSpan.FromMilliseconds(200), null, default).SingleAsync();
        Assert.Equal(DciWaitOutcome.TimedOut, result.Outcome);
        Assert.Contains("outcome is unknown", result.Error!.Message);
        Assert.Contains("shutting_down", result.Error.Message);
    }

    [Fact]
    public async Task A_wait_rides_out_an_outage_of_its_polls()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.FastPollingAsync(sim);
        var running = (await c.Imco!.ListServersAsync().ToListAsync()).First(s => s.State == "operational");
        await c.Imco.RebootAsync(running.Id);
        sim.State.Faults.Add(new FaultRule { Kind = FaultKind.Status500, Method = "GET", PathContains = "cloud/servers", Count = 3 });
        var result = await c.Imco.WaitForServersAsync(new[] { running.Id }, s => s.State == "operational", _ => null, TimeSpan.FromSeconds(30), null, default).SingleAsync();
        Assert.True(result.IsSuccessful, result.Error?.Message);
        Assert.Equal(3, sim.State.Faults.FiredCount);
    }

    [Fact]
    public async Task A_server_that_disappears_fails_the_wait_unless_the_caller_waits_for_it_to_go()
    {
        await using var sim = await ImcoSimulator.StartAsync();
        using var c = await ImcoSimulator.FastPollingAsync(sim);
        var absent = "0123456789abcdef01234567";
        var missing = await c.Imco!.WaitForServersAsync(new[] { absent }, _ => true, _ => null, TimeSpan.FromSeconds(10), null, default).SingleAsync();
        Assert.Equal(DciWaitOutcome.Failed, missing.Outcome);
        Assert.Contains("no longer listed", missing.Error!.Message);
        var gone = await c.Imco.WaitForServersAsync(new[] { absent }, _ => false, _ => null, TimeSpan.FromSeconds(10), null, goneIsDone: true, default).SingleAsync();
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
