using System.Net;
using System.Text;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Platforms.Dci5;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>The DCImanager 5 client: its doc reader, its form calls and its waits, against the simulator's DCImanager 5 mode over loopback.</summary>
public sealed class Dci5ClientTests
{
    private const string AdminPassword = "d5-Adm1n-secret";

    private static Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null) => Sim.StartAsync(o =>
    {
        o.Platform = SimulatedPlatform.DCImanager5;
        o.AdminPassword = AdminPassword;
        o.Servers = 12;
        configure?.Invoke(o);
    });

    private static Task<DciConnection> ConnectAsync(SimulatorHost sim, string user = "admin", string password = AdminPassword, bool stateless = false,
        string path = "", Dci5Format format = Dci5Format.Json) =>
        DciConnection.ConnectDci5Async(Sim.Options(sim, o => new DciConnectionOptions
        {
            BaseUri = new Uri(sim.BaseAddress, path),
            Timeout = o.Timeout,
            Retry = o.Retry,
            Dci5Format = format,
        }), new NetworkCredential(user, password), stateless);

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    // ------------------------------------------------------------------ the reader

    [Fact]
    public void Reader_reads_text_attributes_flags_and_one_row_lists()
    {
        var doc = Dci5Doc.Root(Parse("""
            {"doc":{"$lang":"en","$func":"server","elem":{"id":{"$":"7"},"name":{"$":"db-007"},"poweron":{},"owner":{"$":""}}}}
            """));
        Assert.Equal("server", Dci5Doc.Attribute(doc, "func"));
        var row = Assert.Single(Dci5Doc.Rows(doc));
        Assert.Equal("7", Dci5Doc.Text(row, "id"));
        Assert.True(Dci5Doc.Flag(row, "poweron"));
        Assert.False(Dci5Doc.Flag(row, "poweroff"));
        Assert.Equal(new[] { "poweron" }, Dci5Doc.Flags(row));
        Assert.Empty(Dci5Doc.Rows(Dci5Doc.Root(Parse("""{"doc":{"$func":"server"}}"""))));
        Assert.Equal(2, Dci5Doc.Rows(Dci5Doc.Root(Parse("""{"doc":{"elem":[{"id":{"$":"1"}},{"id":{"$":"2"}}]}}"""))).Count());
    }

    [Fact]
    public void Reader_reads_error_docs_and_maps_their_types_to_kinds()
    {
        var error = Dci5Doc.Error(Dci5Doc.Root(Parse("""{"doc":{"error":{"$type":"exists","$object":"user","msg":{"$":"The user 'x' already exists"}}}}""")));
        Assert.Equal(("exists", "user", "The user 'x' already exists"), error);
        Assert.Equal(DciErrorKind.InvalidArgument, Dci5Doc.KindOf("value"));
        Assert.Equal(DciErrorKind.ResourceExists, Dci5Doc.KindOf("exists"));
        Assert.Equal(DciErrorKind.NotFound, Dci5Doc.KindOf("missed"));
        Assert.Equal(DciErrorKind.PermissionDenied, Dci5Doc.KindOf("access"));
        Assert.Equal(DciErrorKind.Authentication, Dci5Doc.KindOf("auth"));
        Assert.Null(Dci5Doc.Error(Dci5Doc.Root(Parse("""{"doc":{"ok":{}}}"""))));
        Assert.Throws<JsonException>(() => Dci5Doc.Root(Parse("""{"elem":[]}""")));
    }

    // ------------------------------------------------------------------ over the wire

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task Lists_servers_with_flags_and_reads_a_one_row_list_sent_as_an_object(Dci5Format format)
    {
        await using var sim = await StartAsync();
        using var admin = await ConnectAsync(sim, format: format);
        Assert.Equal(DciPlatform.DCImanager5, admin.Platform);
        var servers = await admin.ServerOps.ListAsync().ToListAsync();
        Assert.Equal(12, servers.Count);
        Assert.All(servers, s => Assert.NotNull(s.PowerStatus));
        Assert.All(servers, s => Assert.Same(admin, s.Connection));

        // user01 owns one server at most; with SingleRowAsObject a one-row list arrives as a bare object.
        var owned = servers.Where(s => s.OwnerEmail == "user01").ToList();
        sim.State.Dci5!.SingleRowAsObject = true;
        using var user = await ConnectAsync(sim, "user01", Sim.UserPassword, format: format);
        var mine = await user.ServerOps.ListAsync().ToListAsync();
        Assert.Equal(owned.Select(s => s.Id), mine.Select(s => s.Id));
        if (owned.Count == 1) Assert.Equal(owned[0].Name, mine[0].Name);
    }

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task Error_docs_in_http_200_become_api_errors_of_the_right_kind(Dci5Format format)
    {
        await using var sim = await StartAsync();
        using var admin = await ConnectAsync(sim, format: format);
        var value = await Assert.ThrowsAsync<DciApiException>(() => admin.Dci5!.CallAsync("server.poweron", new[] { new KeyValuePair<string, string>("elid", "999") }, true, default));
        Assert.Equal(200, value.HttpStatus);
        Assert.Equal("value", value.ErrorType);
        Assert.Equal(DciErrorKind.InvalidArgument, value.Kind);

        var created = await admin.UserOps.CreateAsync(new DciNewUser { Email = "dup@example.com", Password = Secure("Pw-123456"), FullName = "Dup" });
        var exists = await Assert.ThrowsAsync<DciApiException>(() => admin.UserOps.CreateAsync(new DciNewUser { Email = "dup@example.com", Password = Secure("Pw-123456") }));
        Assert.Equal(DciErrorKind.ResourceExists, exists.Kind);
        await admin.UserOps.DeleteAsync(created.Id);

        using var user = await ConnectAsync(sim, "user01", Sim.UserPassword, format: format);
        var access = await Assert.ThrowsAsync<DciApiException>(() => user.UserOps.ListAsync().ToListAsync());
        Assert.Equal(DciErrorKind.PermissionDenied, access.Kind);

        var missing = await Assert.ThrowsAsync<DciApiException>(() => admin.ServerOps.GetAsync(999));
        Assert.Equal(DciErrorKind.NotFound, missing.Kind);
    }

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task An_idle_expired_session_signs_in_again_once(Dci5Format format)
    {
        await using var sim = await StartAsync();
        using var admin = await ConnectAsync(sim, format: format);
        await admin.ServerOps.ListAsync().ToListAsync();
        sim.State.Dci5!.AdvanceClock(TimeSpan.FromMinutes(61)); // past the default one-hour idle lifetime
        Assert.Equal(12, (await admin.ServerOps.ListAsync().ToListAsync()).Count);
        Assert.Equal(1, admin.ReloginCount);
    }

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task An_owner_change_sends_the_whole_form_back_so_name_and_notes_stay(Dci5Format format)
    {
        await using var sim = await StartAsync();
        using var admin = await ConnectAsync(sim, format: format);
        await admin.Dci5!.InvokeAsync("server.edit", new Dictionary<string, string?>
        {
            ["elid"] = "3", ["sok"] = "ok", ["name"] = "keep-me", ["notes"] = "do not blank", ["type"] = "server", ["mac"] = "aa:bb", ["owner"] = "no_owner",
        }, default);
        var owned = await admin.ServerOps.SetOwnerAsync(3, 2);
        Assert.Equal("keep-me", owned.Name);
        var form = await admin.Dci5.InvokeAsync("server.edit", new Dictionary<string, string?> { ["elid"] = "3" }, default);
        Assert.Equal("do not blank", Dci5Doc.Text(form, "notes"));
        Assert.Equal("aa:bb", Dci5Doc.Text(form, "mac"));
        Assert.Equal("2", Dci5Doc.Text(form, "owner"));
        var freed = await admin.ServerOps.RemoveOwnerAsync(3);
        Assert.True(freed.IsFree);
        Assert.Equal("do not blank", Dci5Doc.Text(await admin.Dci5.InvokeAsync("server.edit", new Dictionary<string, string?> { ["elid"] = "3" }, default), "notes"));
    }

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task Waiting_on_many_servers_costs_one_server_list_per_poll(Dci5Format format)
    {
        await using var sim = await StartAsync(o => o.OperationDuration = TimeSpan.FromMilliseconds(300));
        using var admin = await ConnectAsync(sim, format: format);
        var tasks = new List<DciTask>();
        for (var id = 1; id <= 10; id++) tasks.Add(await admin.ServerOps.PowerAsync(id, DciPowerAction.Reset));
        Assert.All(tasks, t => Assert.Equal(t.ServerId, t.Id));

        var rounds = new CountingProgress();
        var before = sim.State.RequestCount;
        var results = await admin.Tasks.WaitAsync(tasks, new DciWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(50), MaxPollInterval = TimeSpan.FromMilliseconds(100) }, rounds).ToListAsync();
        var requests = sim.State.RequestCount - before;

        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.Equal(DciWaitOutcome.Completed, r.Outcome));
        Assert.All(results, r => Assert.Equal("complete", r.Task.Status));
        // One report before polling, then one per poll round; each round is one func=server request.
        Assert.Equal(rounds.Count - 1, requests);
    }

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task A_failed_operation_is_a_failed_wait_result(Dci5Format format)
    {
        await using var sim = await StartAsync(o => o.OperationDuration = TimeSpan.FromMilliseconds(200));
        using var admin = await ConnectAsync(sim, format: format);
        sim.State.FailNextOperations(1, null);
        var task = await admin.ServerOps.ClearDiskAsync(2, DciClearDiskMode.Fast);
        var result = Assert.Single(await admin.Tasks.WaitAsync(new[] { task }, new DciWaitOptions { InitialPollInterval = TimeSpan.FromMilliseconds(50) }).ToListAsync());
        Assert.Equal(DciWaitOutcome.Failed, result.Outcome);
    }

    [Theory]
    [InlineData(Dci5Format.Json)]
    [InlineData(Dci5Format.Xml)]
    public async Task No_password_authinfo_or_session_id_reaches_a_url_a_trace_an_error_or_an_object(Dci5Format format)
    {
        var requests = new List<(string Target, string Body)>();
        await using var sim = await StartAsync();
        var sink = new CapturingSink();
        using (DciTrace.Push(sink))
        {
            using var session = await ConnectAsync(sim, format: format);
            using var stateless = await ConnectAsync(sim, stateless: true, path: "manager/dcimgr", format: format);
            var servers = await stateless.ServerOps.ListAsync().ToListAsync();
            var user = await session.UserOps.CreateAsync(new DciNewUser { Email = "leak@example.com", Password = Secure("Us3r-secret-pw") });
            var key = await session.Dci5!.CreateLoginKeyAsync("user01", default);
            var install = await session.ServerOps.InstallOsAsync(4, new DciOsInstallRequest { OsTemplateId = 1, RootPassword = Secure("R00t-secret-pw") });
            var refused = await Assert.ThrowsAsync<DciApiException>(() => session.UserOps.CreateAsync(new DciNewUser { Email = "leak@example.com", Password = Secure("Us3r-secret-pw") }));
            var secrets = new List<string> { AdminPassword, "Us3r-secret-pw", $"admin:{AdminPassword}", "R00t-secret-pw" };
            secrets.AddRange(sim.State.Dci5!.ActiveSessions());
            var shown = string.Join("\n", sink.All) + refused.Message + refused.ServerMessage
                + JsonSerializer.Serialize(servers.Select(s => s.AdditionalProperties?.ToString())) + user + key + session + stateless + install
                + install.AdditionalProperties;
            Assert.Contains(sink.DebugLines, line => line.Contains("func=server.operations", StringComparison.Ordinal));
            // The format asked for is the one answered (the simulator, like the panel, answers what out= says).
            Assert.Contains(sink.DebugLines, line => line.Contains(format == Dci5Format.Xml ? "out=xml" : "out=json", StringComparison.Ordinal));
            Assert.Contains(sink.DebugLines, line => line.Contains(format == Dci5Format.Xml ? "body: <?xml" : "body: {\"doc\"", StringComparison.Ordinal));
            foreach (var secret in secrets) Assert.DoesNotContain(secret, shown);
            Assert.DoesNotContain(key.Key, key.ToString());
            Assert.Contains(sink.All, line => line.Contains("manager/dcimgr", StringComparison.Ordinal));
        }
        await using var hostile = HostileServer.Start((request, stream, ct) =>
        {
            lock (requests) requests.Add((request.Target, request.BodyText));
            return HostileServer.Reply(stream, 200, """{"doc":{"$func":"auth","auth":{"$id":"0123456789abcdef01234567","$level":"28","$":"0123456789abcdef01234567"}}}""", ct: ct);
        });
        using (await DciConnection.ConnectDci5Async(HostileServer.Options(hostile.BaseUri), new NetworkCredential("admin", "h0stile-pw"), stateless: true)) { }
        using (await DciConnection.ConnectDci5Async(HostileServer.Options(hostile.BaseUri), new NetworkCredential("admin", "h0stile-pw"))) { }
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.DoesNotContain("h0stile-pw", r.Target));
        Assert.All(requests, r => Assert.DoesNotContain("auth", r.Target.Split('?').Skip(1).FirstOrDefault() ?? ""));
        Assert.Contains(requests, r => r.Body.Contains("authinfo=admin%3Ah0stile-pw", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Body.Contains("auth=0123456789abcdef01234567", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Malformed_docs_fail_as_api_errors_never_as_raw_exceptions()
    {
        await using var sim = await StartAsync(o => o.Servers = 3);
        using var real = await ConnectAsync(sim);
        var doc = await real.Dci5!.CallAsync("server", null, false, default);
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { doc }));

        var mutations = new List<byte[]>();
        var random = new Random(5_2026);
        for (var cut = 1; cut < body.Length; cut += Math.Max(1, body.Length / 40)) mutations.Add(body[..cut]);
        var text = Encoding.UTF8.GetString(body);
        foreach (var (from, to) in new[] { ("\"elem\"", "\"elem\":\"x\",\"z\""), ("{\"$\":\"1\"}", "1"), ("{\"$\":\"1\"}", "null"), ("\"doc\"", "\"dok\""),
                     ("{\"$\":\"db-", "[{\"$\":\"db-"), ("\"id\":{\"$\":\"", "\"id\":{\"$\":\"x"), ("\"poweron\":{}", "\"poweron\":[]"), ("{", "[") })
            mutations.Add(Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal)));
        for (var i = 0; i < 40; i++)
        {
            var copy = (byte[])body.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            mutations.Add(copy);
        }

        byte[] current = body;
        await using var hostile = HostileServer.Start((request, stream, ct) =>
        {
            var answer = request.BodyText.Contains("func=auth", StringComparison.Ordinal)
                ? Encoding.UTF8.GetBytes("""{"doc":{"auth":{"$id":"0123456789abcdef01234567","$level":"28"}}}""")
                : current;
            return ReplyAsync(stream, answer, ct);
        });
        using var connection = await DciConnection.ConnectDci5Async(HostileServer.Options(hostile.BaseUri), new NetworkCredential("admin", "pw"));
        var outcomes = new Dictionary<string, int>();
        foreach (var mutation in mutations)
        {
            current = mutation;
            try
            {
                await connection.ServerOps.ListAsync().ToListAsync();
                outcomes["read"] = outcomes.GetValueOrDefault("read") + 1;
            }
            catch (DciException ex)
            {
                outcomes[ex.GetType().Name] = outcomes.GetValueOrDefault(ex.GetType().Name) + 1;
            }
        }
        Assert.True(outcomes.GetValueOrDefault(nameof(DciApiException)) > mutations.Count / 2, string.Join(", ", outcomes));
    }

    private static async Task<bool> ReplyAsync(Stream stream, byte[] body, CancellationToken ct)
    {
        await HostileServer.ReplyBytes(stream, 200, body, ct: ct);
        return true;
    }

    private static System.Security.SecureString Secure(string text)
    {
        var s = new System.Security.SecureString();
        foreach (var ch in text) s.AppendChar(ch);
        s.MakeReadOnly();
        return s;
    }

    private sealed class CountingProgress : IProgress<DciWaitProgress>
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        public void Report(DciWaitProgress value) => Interlocked.Increment(ref _count);
    }
}
