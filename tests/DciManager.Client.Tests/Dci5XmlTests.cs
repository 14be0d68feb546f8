using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using DciManager.Client;
using DciManager.Client.Platforms.Dci5;
using DciManager.Simulator;
using Xunit.Abstractions;

namespace DciManager.Client.Tests;

/// <summary>
/// DCImanager 5's XML mode (out=xml): the XML reader yields the doc shape the json reader yields, streams lists, and
/// refuses DTDs, entity bombs and external entities. The behaviours of Dci5ClientTests run in both formats there
/// ([Theory] over <see cref="Dci5Format"/>); these are the XML-only ones, against the simulator and a hostile loopback server.
/// </summary>
public sealed class Dci5XmlTests
{
    private const string AdminPassword = "x5-Adm1n-secret";
    private const string SessionId = "0123456789abcdef01234567";
    private const string AuthXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc func=\"auth\"><auth id=\"" + SessionId + "\" level=\"28\">" + SessionId + "</auth></doc>";

    private readonly ITestOutputHelper _out;

    public Dci5XmlTests(ITestOutputHelper output) => _out = output;

    private static Task<SimulatorHost> StartAsync(int servers = 12) => Sim.StartAsync(o =>
    {
        o.Platform = SimulatedPlatform.DCImanager5;
        o.AdminPassword = AdminPassword;
        o.Servers = servers;
    });

    private static DciConnectionOptions XmlOptions(Uri baseUri, Dci5Format format = Dci5Format.Xml, TimeSpan? timeout = null, int maxResponseBytes = 64 * 1024 * 1024)
    {
        var o = HostileServer.Options(baseUri, timeout);
        return new DciConnectionOptions { BaseUri = o.BaseUri, Timeout = o.Timeout, Retry = o.Retry, Dci5Format = format, MaxResponseBytes = maxResponseBytes };
    }

    /// <summary>One function's answer from the simulator, as the panel sends it in the given out= mode.</summary>
    private static async Task<byte[]> FetchAsync(SimulatorHost sim, string func, string mode, params (string Name, string Value)[] fields)
    {
        using var http = new HttpClient { BaseAddress = sim.BaseAddress };
        var form = new List<KeyValuePair<string, string>> { new("func", func), new("out", mode), new("authinfo", "admin:" + AdminPassword) };
        form.AddRange(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
        using var response = await http.PostAsync("dcimgr", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The doc shape with one-element arrays read as their element, as <see cref="Dci5Doc"/> reads them.</summary>
    private static JsonNode? Normalize(JsonNode? node) => node switch
    {
        JsonArray { Count: 1 } one => Normalize(one[0]),
        JsonArray many => new JsonArray(many.Select(Normalize).ToArray()),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Normalize(p.Value)))),
        JsonValue value => JsonValue.Create(value.GetValue<JsonElement>().Clone()),
        _ => null,
    };

    private static string Shape(JsonElement element) => Normalize(JsonNode.Parse(element.GetRawText()))!.ToJsonString();

    // ------------------------------------------------------------------ one shape for both formats

    [Fact]
    public async Task Xml_and_json_answers_of_the_simulator_read_to_the_same_doc()
    {
        await using var sim = await StartAsync();
        var calls = new (string Func, (string, string)[] Fields)[]
        {
            ("server", Array.Empty<(string, string)>()), ("user", Array.Empty<(string, string)>()), ("osmgr", Array.Empty<(string, string)>()),
            ("rack", Array.Empty<(string, string)>()), ("switch", Array.Empty<(string, string)>()), ("pdu", Array.Empty<(string, string)>()),
            ("iplist", new[] { ("elid", "1") }), ("server.edit", new[] { ("elid", "1") }), ("iplist.edit", new[] { ("plid", "1") }),
            ("server.operations", new[] { ("elid", "1") }), ("switch.port", new[] { ("elid", "1") }), ("auth", Array.Empty<(string, string)>()),
            ("server.poweron", new[] { ("elid", "999") }), ("traffic", new[] { ("sok", "ok"), ("period", "currentmonth") }),
        };
        foreach (var (func, fields) in calls)
        {
            var json = await FetchAsync(sim, func, "json", fields);
            var xml = await FetchAsync(sim, func, "xml", fields);
            Assert.StartsWith("<?xml", Encoding.UTF8.GetString(xml), StringComparison.Ordinal);
            Assert.Equal(Shape(Dci5Answer.Read(json)), Shape(Dci5Answer.Read(xml)));

            // Streamed: the same rows, row for row, and the same doc beside them.
            var jsonRows = new List<string>();
            var xmlRows = new List<string>();
            var jsonDoc = await Dci5Answer.ReadListAsync(new MemoryStream(json), Collect(jsonRows), default);
            var xmlDoc = await Dci5Answer.ReadListAsync(new MemoryStream(xml), Collect(xmlRows), default);
            Assert.Equal(jsonRows, xmlRows);
            Assert.Equal(jsonDoc.Rows, xmlDoc.Rows);
            Assert.Equal(Shape(jsonDoc.Doc), Shape(xmlDoc.Doc));
        }
        // The error doc reads the same way: type, object and message.
        var error = Dci5Doc.Error(Dci5Doc.Root(Dci5Answer.Read(await FetchAsync(sim, "server.poweron", "xml", ("elid", "999")))));
        Assert.Equal("value", error?.Type);
        Assert.False(string.IsNullOrEmpty(error?.Message));

        static Func<IReadOnlyList<byte[]>, int, ValueTask> Collect(List<string> into) => (rows, _) =>
        {
            foreach (var row in rows) into.Add(Normalize(JsonNode.Parse(row))!.ToJsonString());
            return ValueTask.CompletedTask;
        };
    }

    [Fact]
    public void The_xml_reader_keeps_flags_empty_text_attributes_and_one_row_lists_apart()
    {
        var doc = Dci5Doc.Root(Dci5Answer.Read(Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="UTF-8"?>
            <doc lang="en" func="server">
              <elem>
                <id>7</id>
                <name>db-&#x431;-007 &amp; co</name>
                <poweron/>
                <owner></owner>
                <ip kind="main">192.0.2.7</ip>
                <notes><![CDATA[<not markup>]]></notes>
              </elem>
            </doc>
            """)));
        Assert.Equal("server", Dci5Doc.Attribute(doc, "func"));
        var row = Assert.Single(Dci5Doc.Rows(doc));
        Assert.Equal("7", Dci5Doc.Text(row, "id"));
        Assert.Equal("db-б-007 & co", Dci5Doc.Text(row, "name"));
        Assert.True(Dci5Doc.Flag(row, "poweron"));
        Assert.False(Dci5Doc.Flag(row, "poweroff"));
        Assert.Equal(new[] { "poweron" }, Dci5Doc.Flags(row));
        Assert.Equal("", Dci5Doc.Text(row, "owner"));
        Assert.Equal("main", Dci5Doc.Attribute(row.GetProperty("ip"), "kind"));
        Assert.Equal("<not markup>", Dci5Doc.Text(row, "notes"));
        Assert.Equal(2, Dci5Doc.Rows(Dci5Doc.Root(Dci5Answer.Read("<doc><elem><id>1</id></elem><elem><id>2</id></elem></doc>"u8.ToArray()))).Count());
        Assert.Empty(Dci5Doc.Rows(Dci5Doc.Root(Dci5Answer.Read("<doc func=\"server\"/>"u8.ToArray()))));
        Assert.Equal(("exists", "user", "The user 'x' already exists"),
            Dci5Doc.Error(Dci5Doc.Root(Dci5Answer.Read("<doc><error type=\"exists\" object=\"user\" lang=\"en\"><msg>The user 'x' already exists</msg></error></doc>"u8.ToArray()))));
        // A root that is not doc is refused as the json path refuses {"elem":[]}.
        Assert.Throws<JsonException>(() => Dci5Doc.Root(Dci5Answer.Read("<html><body>Login</body></html>"u8.ToArray())));
    }

    // ------------------------------------------------------------------ the format asked and the format answered

    [Theory]
    [InlineData(Dci5Format.Json, "text/xml; charset=utf-8", true)]
    [InlineData(Dci5Format.Json, "application/json", true)]
    [InlineData(Dci5Format.Json, null, true)]
    [InlineData(Dci5Format.Xml, "application/json", false)]
    [InlineData(Dci5Format.Xml, "application/xml", true)]
    public async Task An_answer_is_read_by_what_it_is_whatever_format_was_asked(Dci5Format asked, string? contentType, bool answerXml)
    {
        const string ListXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc func=\"server\"><elem><id>3</id><name>db-003</name><poweroff/></elem><elem><id>4</id><name>db-004</name><poweron/></elem></doc>";
        const string ListJson = """{"doc":{"$func":"server","elem":[{"id":{"$":"3"},"name":{"$":"db-003"},"poweroff":{}},{"id":{"$":"4"},"name":{"$":"db-004"},"poweron":{}}]}}""";
        const string AuthJson = """{"doc":{"$func":"auth","auth":{"$id":"0123456789abcdef01234567","$level":"28"}}}""";
        await using var hostile = HostileServer.Start((request, stream, ct) =>
        {
            var body = request.BodyText.Contains("func=auth", StringComparison.Ordinal) ? (answerXml ? AuthXml : AuthJson) : answerXml ? ListXml : ListJson;
            return HostileServer.Reply(stream, 200, body, contentType, ct: ct);
        });
        using var connection = await DciConnection.ConnectDci5Async(XmlOptions(hostile.BaseUri, asked), new NetworkCredential("admin", "pw"));
        var servers = await connection.ServerOps.ListAsync().ToListAsync();
        Assert.Equal(new long[] { 3, 4 }, servers.Select(s => s.Id));
        Assert.Equal(new[] { "off", "on" }, servers.Select(s => s.PowerStatus));
        Assert.Equal("db-004", servers[1].Name);
        var doc = await connection.Dci5!.InvokeAsync("server", new Dictionary<string, string?>(), default);
        Assert.Equal(2, Dci5Doc.Rows(doc).Count());
        Assert.All(hostile.Requests, r => Assert.Contains(asked == Dci5Format.Xml ? "out=xml" : "out=json", r.BodyText, StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ errors in HTTP 200

    [Theory]
    [InlineData("value", DciErrorKind.InvalidArgument)]
    [InlineData("exists", DciErrorKind.ResourceExists)]
    [InlineData("missed", DciErrorKind.NotFound)]
    [InlineData("access", DciErrorKind.PermissionDenied)]
    [InlineData("auth", DciErrorKind.Authentication)]
    [InlineData("sys", DciErrorKind.ServerError)]
    public async Task Xml_error_docs_in_http_200_become_api_errors_of_their_kind(string type, DciErrorKind kind)
    {
        var error = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc func=\"server\"><error type=\"{type}\" object=\"elid\" lang=\"en\"><msg>Refused: {type}</msg></error></doc>";
        await using var hostile = HostileServer.Start((request, stream, ct) =>
            HostileServer.Reply(stream, 200, request.BodyText.Contains("func=auth", StringComparison.Ordinal) ? AuthXml : error, "text/xml", ct: ct));
        // Stateless: an auth error is reported as it is (a session connection would sign in again, see the relogin test).
        using var connection = await DciConnection.ConnectDci5Async(XmlOptions(hostile.BaseUri), new NetworkCredential("admin", "pw"), stateless: true);
        foreach (var call in new Func<Task>[]
                 {
                     () => connection.ServerOps.ListAsync().ToListAsync(),
                     () => connection.Dci5!.InvokeAsync("server.poweron", new Dictionary<string, string?> { ["elid"] = "5" }, default),
                 })
        {
            var refused = await Assert.ThrowsAsync<DciApiException>(call);
            Assert.Equal(200, refused.HttpStatus);
            Assert.Equal(type, refused.ErrorType);
            Assert.Equal(kind, refused.Kind);
            Assert.Contains($"Refused: {type}", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_xml_doc_cut_short_is_an_error_and_a_one_row_list_is_one_server()
    {
        var answers = new Queue<string>(new[]
        {
            "<doc func=\"server\"><elem><id>1</id><name>db-1</name></elem><elem><id>2</id>",
            "<doc func=\"server\"><elem><id>7</id><name>db-7</name><poweron/></elem></doc>",
        });
        await using var hostile = HostileServer.Start((request, stream, ct) =>
            request.BodyText.Contains("func=auth", StringComparison.Ordinal)
                ? HostileServer.Reply(stream, 200, AuthXml, "text/xml", ct: ct)
                : HostileServer.Reply(stream, 200, answers.Dequeue(), "text/xml", ct: ct));
        using var connection = await DciConnection.ConnectDci5Async(XmlOptions(hostile.BaseUri), new NetworkCredential("admin", "pw"));
        var cut = await Assert.ThrowsAsync<DciApiException>(() => connection.ServerOps.ListAsync().ToListAsync());
        Assert.Contains("XML", cut.Message, StringComparison.Ordinal);
        var single = Assert.Single(await connection.ServerOps.ListAsync().ToListAsync());
        Assert.Equal(7, single.Id);
        Assert.Equal("on", single.PowerStatus);
    }

    // ------------------------------------------------------------------ streaming

    private static string Row(int id) =>
        "<elem><id>" + id.ToString(CultureInfo.InvariantCulture) + "</id><name>db-" + id.ToString("D5", CultureInfo.InvariantCulture)
        + "</name><rack>Rack0001 " + (id % 40).ToString(CultureInfo.InvariantCulture) + "</rack><poweron/></elem>";

    [Fact]
    public async Task The_first_server_reaches_the_caller_before_the_xml_body_is_read_to_its_end()
    {
        var head = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc lang=\"en\" func=\"server\">" + Row(1));
        var tail = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(2, 500).Select(Row)) + "</doc>\n");
        await Dci5StreamingTests.AssertFirstServerArrivesBeforeTheTailAsync(head, tail, "text/xml; charset=utf-8", AuthXml, "text/xml",
            uri => XmlOptions(uri, timeout: TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Reading_20000_servers_in_xml_keeps_one_small_buffer()
    {
        var rows = 0;
        var highWater = 0;
        await using var body = new GeneratedXmlDocStream(20_000);
        var doc = await Dci5XmlReader.ReadListAsync(body, (batch, first) =>
        {
            for (var i = 0; i < batch.Count; i++)
                Assert.Equal(first + i + 1, int.Parse(Dci5Doc.Text(JsonDocument.Parse(batch[i]).RootElement, "id")!, CultureInfo.InvariantCulture));
            rows += batch.Count;
            return ValueTask.CompletedTask;
        }, default, high => highWater = high);
        Assert.Equal(20_000, rows);
        Assert.Equal(20_000, doc.Rows);
        Assert.Equal("server", Dci5Doc.Attribute(doc.Doc, "func"));
        Assert.True(body.Length > 1_500_000, $"the document is {body.Length} bytes");
        // What the reader pulled from the body for any one row (its read-ahead included): never the document.
        Assert.True(highWater <= 160 * 1024, $"the reader read {highWater} bytes for one row");
        _out.WriteLine($"xml 20000 rows: {body.Length} bytes, at most {highWater} bytes read for one row");
    }

    [Fact]
    public async Task A_20000_server_inventory_streams_from_the_simulator_in_xml()
    {
        await using var sim = await Sim.StartAsync(o => { o.Platform = SimulatedPlatform.DCImanager5; o.Servers = 20_000; o.AdminPassword = "s5-pw"; });
        using var admin = await DciConnection.ConnectDci5Async(Sim.Options(sim, o => new DciConnectionOptions
        {
            BaseUri = o.BaseUri, Timeout = o.Timeout, Retry = o.Retry, Dci5Format = Dci5Format.Xml,
        }), new NetworkCredential("admin", "s5-pw"));
        var count = 0;
        long last = 0;
        await foreach (var server in admin.ServerOps.ListAsync())
        {
            Assert.True(server.Id > last);
            Assert.NotNull(server.PowerStatus);
            last = server.Id;
            count++;
        }
        Assert.Equal(20_000, count);
        // Select-Object -First 1: stopping early ends the read without an error.
        await foreach (var _ in admin.ServerOps.ListAsync()) break;
    }

    // ------------------------------------------------------------------ hostile XML

    [Fact]
    public async Task Dtds_entity_bombs_and_external_entities_are_refused_and_no_file_is_read()
    {
        var secretFile = Path.Combine(Path.GetTempPath(), $"dci5-xxe-{Guid.NewGuid():N}.txt");
        const string FileSecret = "XXE-FILE-CONTENT-7d1c0b";
        await File.WriteAllTextAsync(secretFile, FileSecret);
        try
        {
            var fileUri = new Uri(secretFile).AbsoluteUri;
            var laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE doc [\n<!ENTITY l0 \"lol\">\n");
            for (var i = 1; i <= 9; i++) laughs.Append(CultureInfo.InvariantCulture, $"<!ENTITY l{i} \"{string.Concat(Enumerable.Repeat($"&l{i - 1};", 10))}\">\n");
            laughs.Append("]>\n<doc><elem><id>1</id><name>&l9;</name></elem></doc>");
            var bodies = new Dictionary<string, string>
            {
                ["xxe-system-entity"] = $"<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY x SYSTEM \"{fileUri}\">]>\n<doc><elem><id>1</id><name>&x;</name></elem></doc>",
                ["xxe-parameter-entity"] = $"<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY % p SYSTEM \"{fileUri}\"> %p;]>\n<doc><elem><id>1</id></elem></doc>",
                ["external-dtd"] = $"<?xml version=\"1.0\"?>\n<!DOCTYPE doc SYSTEM \"{fileUri}\">\n<doc><elem><id>1</id></elem></doc>",
                ["billion-laughs"] = laughs.ToString(),
                ["quadratic-blowup"] = "<?xml version=\"1.0\"?>\n<!DOCTYPE doc [<!ENTITY a \"" + new string('a', 50_000) + "\">]>\n<doc><elem><id>1</id><name>"
                    + string.Concat(Enumerable.Repeat("&a;", 2_000)) + "</name></elem></doc>",
                ["undeclared-entity"] = "<doc><elem><id>1</id><name>&x;</name></elem></doc>",
            };
            string current = "";
            await using var hostile = HostileServer.Start((request, stream, ct) =>
                HostileServer.Reply(stream, 200, request.BodyText.Contains("func=auth", StringComparison.Ordinal) ? AuthXml : current, "text/xml", ct: ct));
            using var connection = await DciConnection.ConnectDci5Async(XmlOptions(hostile.BaseUri), new NetworkCredential("admin", "pw"));
            var sink = new CapturingSink();
            foreach (var (name, body) in bodies)
            {
                current = body;
                // Streamed (no trace) and read whole (a -Debug trace reads bodies whole): both refuse.
                foreach (var traced in new[] { false, true })
                {
                    using var tracing = traced ? DciTrace.Push(sink) : null;
                    foreach (var call in new Func<Task>[]
                             {
                                 () => connection.ServerOps.ListAsync().ToListAsync().WaitAsync(TimeSpan.FromSeconds(30)),
                                 () => connection.Dci5!.InvokeAsync("server", new Dictionary<string, string?>(), default).WaitAsync(TimeSpan.FromSeconds(30)),
                             })
                    {
                        var refused = await Assert.ThrowsAsync<DciApiException>(call);
                        Assert.Equal(200, refused.HttpStatus);
                        Assert.Contains("XML", refused.Message, StringComparison.Ordinal);
                        if (name != "undeclared-entity") Assert.Contains("DTD", refused.ToString(), StringComparison.Ordinal);
                        Assert.DoesNotContain(FileSecret, refused.ToString(), StringComparison.Ordinal);
                        Assert.DoesNotContain("lollollol", refused.ToString(), StringComparison.Ordinal);
                    }
                }
            }
            Assert.NotEmpty(sink.All);
            Assert.DoesNotContain(sink.All, line => line.Contains(FileSecret, StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public async Task Malformed_xml_docs_fail_as_api_errors_never_as_raw_exceptions()
    {
        await using var sim = await StartAsync(servers: 3);
        var body = await FetchAsync(sim, "server", "xml");
        var text = Encoding.UTF8.GetString(body);
        var mutations = new List<(string Kind, byte[] Body)>();
        for (var cut = 1; cut < body.Length; cut += Math.Max(1, body.Length / 40)) mutations.Add(("truncated", body[..cut]));
        foreach (var (from, to) in new[]
                 {
                     ("</id>", "</name>"), ("<elem>", "<elem><elem>"), ("</elem>", ""), ("<doc", "<dok"), ("</doc>", "</dok>"), ("</doc>", "</doc><doc/>"),
                     ("</doc>", "</doc>trailing"), ("<id>", "<id>x"), ("<id>", "<id a=\"1\" a=\"2\">"), ("<elem>", "<elem>&#x0;&#xD800;"),
                     ("UTF-8", "windows-1251"), ("UTF-8", "x-unknown-encoding"), ("<elem>", "<p:elem>"), ("<?xml", "  <?xml"), ("<elem>", "<elem><![CDATA[x"),
                     ("<poweron/>", "<poweron>"), ("<elem>", "<elem>&amp"), ("<elem>", "<elem>&#99999999;"),
                 })
            mutations.Add(($"replace {from} -> {to}", Encoding.UTF8.GetBytes(text.Replace(from, to, StringComparison.Ordinal))));
        mutations.Add(("deep-nesting", Encoding.UTF8.GetBytes("<doc><elem>" + string.Concat(Enumerable.Repeat("<a>", 5_000)) + string.Concat(Enumerable.Repeat("</a>", 5_000)) + "</elem></doc>")));
        mutations.Add(("huge-attribute", Encoding.UTF8.GetBytes("<doc><elem a=\"" + new string('x', 5 * 1024 * 1024) + "\"><id>1</id></elem></doc>")));
        mutations.Add(("huge-text", Encoding.UTF8.GetBytes("<doc><elem><id>1</id><name>" + new string('x', 5 * 1024 * 1024) + "</name></elem></doc>")));
        mutations.Add(("many-attributes", Encoding.UTF8.GetBytes("<doc><elem " + string.Concat(Enumerable.Range(0, 300_000).Select(i => $"a{i}=\"v\" ")) + "><id>1</id></elem></doc>")));
        mutations.Add(("oversize-doc", Encoding.UTF8.GetBytes("<doc>" + string.Concat(Enumerable.Repeat("<elem><id>1</id><name>" + new string('n', 1000) + "</name></elem>", 17_000)) + "</doc>")));
        mutations.Add(("bom", [0xEF, 0xBB, 0xBF, .. body]));
        mutations.Add(("json-labelled-as-xml", "{\"doc\":{\"elem\":[{\"id\":{\"$\":\"1\"}}]}}"u8.ToArray()));
        var random = new Random(5_2026);
        for (var i = 0; i < 40; i++)
        {
            var copy = (byte[])body.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            mutations.Add(("random-byte", copy));
        }

        byte[] current = body;
        await using var hostile = HostileServer.Start(async (request, stream, ct) =>
        {
            var answer = request.BodyText.Contains("func=auth", StringComparison.Ordinal) ? Encoding.UTF8.GetBytes(AuthXml) : current;
            await HostileServer.ReplyBytes(stream, 200, answer, "text/xml; charset=utf-8", ct: ct);
            return true;
        });
        using var connection = await DciConnection.ConnectDci5Async(XmlOptions(hostile.BaseUri, maxResponseBytes: 16 * 1024 * 1024), new NetworkCredential("admin", "pw"));
        Assert.Equal(3, (await connection.ServerOps.ListAsync().ToListAsync()).Count);

        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        var sink = new CapturingSink();
        foreach (var (kind, mutation) in mutations)
        {
            current = mutation;
            foreach (var traced in new[] { false, true })
            {
                using var tracing = traced ? DciTrace.Push(sink) : null;
                foreach (var (call, run) in new (string, Func<Task>)[]
                         {
                             ("list", () => connection.ServerOps.ListAsync().ToListAsync()),
                             ("call", () => connection.Dci5!.InvokeAsync("server", new Dictionary<string, string?>(), default)),
                         })
                {
                    Exception? thrown = null;
                    try { await run().WaitAsync(TimeSpan.FromSeconds(30)); }
                    catch (Exception ex) { thrown = ex; }
                    var label = $"{kind}/{call}{(traced ? "/traced" : "")}";
                    outcomes[thrown?.GetType().Name ?? "read"] = outcomes.GetValueOrDefault(thrown?.GetType().Name ?? "read") + 1;
                    if (thrown is null) continue;
                    if (thrown is not DciApiException api) problems.Add($"{label}: leaked {thrown.GetType().FullName}: {thrown.Message}");
                    else if (api.HttpStatus != 200 || string.IsNullOrWhiteSpace(api.Message)) problems.Add($"{label}: {api.HttpStatus} {api.Message}");
                    else if (kind.StartsWith("huge", StringComparison.Ordinal) && call == "list" && !traced && !api.Message.Contains("larger than", StringComparison.Ordinal))
                        problems.Add($"{label}: a huge element was not called too large: {api.Message}");
                    else if (kind == "oversize-doc" && !api.Message.Contains("larger than", StringComparison.Ordinal))
                        problems.Add($"{label}: an answer beyond MaxResponseBytes was not called too large: {api.Message}");
                    else if (kind == "deep-nesting" && !api.Message.Contains("deeper than", StringComparison.Ordinal))
                        problems.Add($"{label}: deep nesting not named: {api.Message}");
                }
            }
        }
        _out.WriteLine($"xml mutations: {mutations.Count}; outcomes: {string.Join(", ", outcomes.Select(kv => $"{kv.Key}={kv.Value}"))}");
        foreach (var p in problems.Take(20)) _out.WriteLine("PROBLEM " + p);
        Assert.Empty(problems);
        Assert.True(outcomes.GetValueOrDefault(nameof(DciApiException)) > mutations.Count, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault("read") > 0, "no mutation was still a valid doc: the generator is too blunt");
    }

    // ------------------------------------------------------------------ secrets

    [Fact]
    public async Task No_password_authinfo_or_session_id_reaches_a_url_a_trace_or_an_error_with_xml_answers()
    {
        const string Password = "h0stile-xml-pw";
        await using var hostile = HostileServer.Start((request, stream, ct) =>
        {
            if (request.BodyText.Contains("func=auth", StringComparison.Ordinal)) return HostileServer.Reply(stream, 200, AuthXml, "text/xml", ct: ct);
            // A form with secret-named fields the module never sent: masked by their names, as in json.
            if (request.BodyText.Contains("func=server.edit", StringComparison.Ordinal))
                return HostileServer.Reply(stream, 200, "<doc><name>db-1</name><passwd>Unkn0wn-form-pw</passwd><ipmi key=\"Unkn0wn-ipmi-key\">x</ipmi></doc>", "text/xml", ct: ct);
            // A panel that echoes what it was sent in its error: the password, and the session it was given (session mode).
            var session = request.BodyText.Contains("auth=" + SessionId, StringComparison.Ordinal) ? $" for session {SessionId}" : "";
            return HostileServer.Reply(stream, 200,
                $"<doc><error type=\"value\" object=\"passwd\"><msg>password {Password} rejected{session}</msg></error></doc>", "text/xml", ct: ct);
        });
        var sink = new CapturingSink();
        var shown = new StringBuilder();
        using (DciTrace.Push(sink))
        {
            foreach (var stateless in new[] { false, true })
            {
                using var connection = await DciConnection.ConnectDci5Async(XmlOptions(hostile.BaseUri), new NetworkCredential("admin", Password), stateless);
                var refused = await Assert.ThrowsAsync<DciApiException>(() => connection.ServerOps.ListAsync().ToListAsync());
                Assert.Equal(DciErrorKind.InvalidArgument, refused.Kind);
                shown.Append(refused).Append(refused.ServerMessage).Append(connection);
                var form = await connection.Dci5!.InvokeAsync("server.edit", new Dictionary<string, string?> { ["elid"] = "1" }, default);
                Assert.Equal("db-1", Dci5Doc.Text(form, "name"));
            }
        }
        shown.AppendJoin("\n", sink.All);
        Assert.Contains(sink.DebugLines, line => line.Contains("out=xml", StringComparison.Ordinal));
        Assert.Contains(sink.DebugLines, line => line.Contains("<doc", StringComparison.Ordinal));
        Assert.DoesNotContain(Password, shown.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(SessionId, shown.ToString(), StringComparison.Ordinal);
        Assert.Contains(sink.DebugLines, line => line.Contains("db-1", StringComparison.Ordinal));
        Assert.DoesNotContain("Unkn0wn-form-pw", shown.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Unkn0wn-ipmi-key", shown.ToString(), StringComparison.Ordinal);
        Assert.All(hostile.Requests, r => Assert.DoesNotContain(Password, r.Target, StringComparison.Ordinal));
        Assert.All(hostile.Requests, r => Assert.DoesNotContain("auth", r.Target.Split('?').Skip(1).FirstOrDefault() ?? "", StringComparison.Ordinal));
        Assert.Contains(hostile.Requests, r => r.BodyText.Contains("authinfo=admin%3A" + Password, StringComparison.Ordinal));
        Assert.Contains(hostile.Requests, r => r.BodyText.Contains("auth=" + SessionId, StringComparison.Ordinal));
    }

    /// <summary>An XML list doc of <c>rows</c> servers, produced as it is read (the test never holds it whole either).</summary>
    private sealed class GeneratedXmlDocStream : Stream
    {
        private readonly int _rows;
        private int _next = 1;
        private byte[] _pending = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc lang=\"en\" func=\"server\" binary=\"/dcimgr\">");
        private int _offset;
        private bool _ended;
        private long _length;

        public GeneratedXmlDocStream(int rows) => _rows = rows;

        public override long Length => _length;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_ended) return 0;
                if (_next <= _rows)
                {
                    var sb = new StringBuilder();
                    for (var i = 0; i < 50 && _next <= _rows; i++, _next++) sb.Append(Row(_next));
                    _pending = Encoding.UTF8.GetBytes(sb.ToString());
                }
                else
                {
                    _pending = Encoding.UTF8.GetBytes("</doc>\n");
                    _ended = true;
                }
                _offset = 0;
            }
            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            _length += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
