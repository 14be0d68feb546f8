using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Platforms.OpenDcim;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>The openDCIM client against the simulator's openDCIM mode and small hostile servers, over loopback: every quirk of opendcim-observed.md.</summary>
public sealed class OpenDcimClientTests
{
    private const string AdminKey = "dcadmin-key-7f3a9c";
    private const string ViewerKey = "viewer-key-2b81d0";

    private static Task<SimulatorHost> StartAsync(Action<SimulatorOptions>? configure = null) => Sim.StartAsync(o =>
    {
        o.Platform = SimulatedPlatform.OpenDcim;
        configure?.Invoke(o);
    });

    private static DciConnectionOptions Options(Uri root) => new()
    {
        BaseUri = new Uri(root, "api/v1"),
        Timeout = TimeSpan.FromSeconds(20),
        Retry = new DciRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromMilliseconds(20) },
    };

    private static Task<DciConnection> KeyAsync(SimulatorHost sim, string user = "dcadmin", string key = AdminKey) =>
        DciConnection.ConnectOpenDcimAsync(Options(sim.BaseAddress), user, key, null);

    private static Task<DciConnection> BasicAsync(SimulatorHost sim, string user, string password) =>
        DciConnection.ConnectOpenDcimAsync(Options(sim.BaseAddress), "", null, new NetworkCredential(user, password));

    // ------------------------------------------------------------------ connect

    [Fact]
    public async Task Connects_with_the_key_headers_and_with_Basic()
    {
        await using var sim = await StartAsync();
        using var key = await KeyAsync(sim);
        Assert.Equal(DciPlatform.OpenDcim, key.Platform);
        Assert.Equal(DciAuthMethod.ApiKey, key.AuthMethod);
        using var basic = await BasicAsync(sim, "writer", "writer-pass");
        Assert.Equal(DciAuthMethod.Basic, basic.AuthMethod);
        Assert.Equal(2, (await basic.OpenDcim!.ListDataCentersAsync().ToListAsync()).Count);
    }

    [Fact]
    public async Task A_refused_key_is_an_authentication_error_never_data_and_never_quotes_the_key()
    {
        await using var sim = await StartAsync();
        var refused = await Assert.ThrowsAsync<DciApiException>(() => KeyAsync(sim, key: "wrong-key-9d2e41"));
        Assert.Equal(DciErrorKind.Authentication, refused.Kind);
        Assert.Equal("AccessDenied", refused.ErrorType);
        Assert.Equal(200, refused.HttpStatus);
        Assert.Contains("Access Denied", refused.Message);
        Assert.DoesNotContain("wrong-key-9d2e41", refused.ToString());
        var unknownUser = await Assert.ThrowsAsync<DciApiException>(() => KeyAsync(sim, user: "nobody-here"));
        Assert.Equal(DciErrorKind.Authentication, unknownUser.Kind);
    }

    [Fact]
    public async Task Refused_Basic_credentials_are_an_authentication_error_with_Apaches_status()
    {
        await using var sim = await StartAsync();
        var refused = await Assert.ThrowsAsync<DciApiException>(() => BasicAsync(sim, "writer", "not-the-pass-71"));
        Assert.Equal(401, refused.HttpStatus);
        Assert.Equal(DciErrorKind.Authentication, refused.Kind);
        Assert.Contains("Unauthorized", refused.ServerMessage);
        Assert.DoesNotContain("not-the-pass-71", refused.ToString());
    }

    [Fact]
    public async Task Every_call_asks_for_JSON_and_no_cookie_is_ever_sent_back()
    {
        const string list = """{"error":false,"errorcode":200,"datacenter":[{"DataCenterID":1,"Name":"DC-East"}]}""";
        await using var hostile = HostileServer.Start((request, stream, ct) =>
            HostileServer.Reply(stream, 200, list, "application/json", extraHeaders: "Set-Cookie: PHPSESSID=abc123; path=/", ct: ct));
        using var connection = await DciConnection.ConnectOpenDcimAsync(HostileServer.Options(new Uri(hostile.BaseUri, "api/v1")), "dcadmin", AdminKey, null);
        await connection.OpenDcim!.ListDataCentersAsync().ToListAsync();
        await connection.OpenDcim!.ListDataCentersAsync().ToListAsync();
        var requests = hostile.Requests.ToArray();
        Assert.True(requests.Length >= 3);
        Assert.All(requests, r =>
        {
            Assert.False(r.Headers.ContainsKey("Cookie"), "a cookie was sent back");
            Assert.Contains("application/json", r.Headers["Accept"]);
            Assert.Equal("dcadmin", r.Headers["UserID"]);
            Assert.StartsWith("/api/v1/datacenter", r.Target);
        });
    }

    [Fact]
    public async Task Creates_and_updates_send_a_JSON_body_and_no_query_since_a_query_would_make_openDCIM_ignore_the_body()
    {
        const string device = """{"DeviceID":41,"Label":"NEW-1","Cabinet":2,"Position":5,"Height":1,"DeviceType":"Server","Notes":"n"}""";
        await using var hostile = HostileServer.Start((request, stream, ct) => request.Method switch
        {
            "PUT" => HostileServer.Reply(stream, 200, "{\"error\":false,\"errorcode\":200,\"device\":" + device.Replace("41", "\"41\"") + "}", ct: ct),
            "POST" => HostileServer.Reply(stream, 200, """{"error":false,"errorcode":200}""", ct: ct),
            _ when request.Path.EndsWith("/device", StringComparison.Ordinal) => HostileServer.Reply(stream, 200, "{\"error\":false,\"errorcode\":200,\"device\":[" + device + "]}", ct: ct),
            _ => HostileServer.Reply(stream, 200, """{"error":false,"errorcode":200,"datacenter":[]}""", ct: ct),
        });
        using var connection = await DciConnection.ConnectOpenDcimAsync(HostileServer.Options(new Uri(hostile.BaseUri, "api/v1")), "dcadmin", AdminKey, null);
        var created = await connection.OpenDcim!.CreateDeviceAsync(new DciNewDevice { Label = "new-1", Cabinet = 2, Position = 5, Height = 1, DeviceType = "Server" });
        Assert.Equal(41, created.Id);
        var updated = await connection.OpenDcim!.UpdateDeviceAsync(41, new Dictionary<string, object> { ["Notes"] = "n" });
        Assert.Equal("n", updated.Notes);

        var put = Assert.Single(hostile.Requests, r => r.Method == "PUT");
        Assert.Equal("/api/v1/device/new-1", put.Target);
        Assert.StartsWith("application/json", put.Headers["Content-Type"]);
        using (var body = JsonDocument.Parse(put.Body))
        {
            Assert.Equal(2, body.RootElement.GetProperty("Cabinet").GetInt64());
            Assert.False(body.RootElement.TryGetProperty("Owner", out _), "an option not given was sent");
        }
        var post = Assert.Single(hostile.Requests, r => r.Method == "POST");
        Assert.Equal("/api/v1/device/41", post.Target);
        Assert.StartsWith("application/json", post.Headers["Content-Type"]);
        Assert.Equal("""{"Notes":"n"}""", post.BodyText);
        // Both were re-read by DeviceID (23.x has no GET /device/{id}).
        Assert.Equal(2, hostile.Requests.Count(r => r.Method == "GET" && r.Target == "/api/v1/device?DeviceID=41"));
    }

    // ------------------------------------------------------------------ shapes and ids

    [Fact]
    public void Ids_are_read_as_numbers_or_strings_and_created_rows_are_found_in_every_shape()
    {
        var number = JsonDocument.Parse("""{"CabinetID":7,"MaxKW":""}""").RootElement;
        var text = JsonDocument.Parse("""{"CabinetID":"7","MaxKW":""}""").RootElement;
        Assert.Equal(7, OpenDcimClient.Int(number, "CabinetID"));
        Assert.Equal(7, OpenDcimClient.Int(text, "CabinetID"));
        Assert.Null(OpenDcimClient.Int(text, "MaxKW"));
        var keyed = JsonDocument.Parse("""{"error":false,"cabinet":{"7":{"CabinetID":"7","Location":"A04"}}}""").RootElement;
        Assert.Equal("A04", OpenDcimClient.Str(OpenDcimClient.CreatedRow(keyed, "cabinet", "CabinetID", "PUT", "cabinet"), "Location"));
        var single = JsonDocument.Parse("""{"error":false,"device":{"DeviceID":41,"Label":"X"}}""").RootElement;
        Assert.Equal(41, OpenDcimClient.Int(OpenDcimClient.CreatedRow(single, "device", "DeviceID", "PUT", "device"), "DeviceID"));
        var bare = JsonDocument.Parse("""{"error":false,"errorcode":200}""").RootElement;
        Assert.Throws<DciOutcomeUnknownException>(() => OpenDcimClient.CreatedRow(bare, "device", "DeviceID", "PUT", "device"));
    }

    [Fact]
    public async Task A_data_center_by_id_is_a_list_of_one_and_an_unknown_one_is_a_clear_400()
    {
        await using var sim = await StartAsync();
        using var admin = await KeyAsync(sim);
        var one = await admin.OpenDcim!.CallAsync(HttpMethod.Get, "datacenter/2");
        Assert.Equal(JsonValueKind.Array, one.GetProperty("datacenter").ValueKind);
        var missing = await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.CallAsync(HttpMethod.Get, "datacenter/9999"));
        Assert.Equal(400, missing.HttpStatus);
        Assert.Equal("The requested resource does not exist.", missing.ServerMessage);
    }

    [Fact]
    public async Task Devices_are_read_by_DeviceID_query_since_23x_has_no_GET_device_id()
    {
        await using var sim = await StartAsync();
        using var admin = await KeyAsync(sim);
        var device = await admin.OpenDcim!.GetDeviceAsync(3);
        Assert.Equal("SRV-A01-01", device.Label);
        Assert.Equal(1, device.Cabinet);
        Assert.Same(admin, device.Connection);
        // The route itself answers Slim's JSON 405 (Accept: application/json): one clear error, not a parse failure.
        var notAllowed = await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.CallAsync(HttpMethod.Get, "device/3"));
        Assert.Equal(405, notAllowed.HttpStatus);
        Assert.StartsWith("Method not allowed", notAllowed.ServerMessage);
        var unknown = await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.CallAsync(HttpMethod.Get, "nosuchroute"));
        Assert.Equal(404, unknown.HttpStatus);
        Assert.Equal(DciErrorKind.NotFound, unknown.Kind);
        var gone = await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.GetDeviceAsync(999_999));
        Assert.Equal(DciErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task Label_filters_are_exact_and_the_wildcards_switch_makes_them_substring_matches()
    {
        await using var sim = await StartAsync();
        using var admin = await KeyAsync(sim);
        var exact = await admin.OpenDcim!.ListDevicesAsync(new DciDeviceQuery { Label = "srv-a01-01" }).ToListAsync();
        Assert.Equal("SRV-A01-01", Assert.Single(exact).Label);
        var substring = await admin.OpenDcim!.ListDevicesAsync(new DciDeviceQuery { Label = "A01-0", Substring = true }).ToListAsync();
        Assert.Contains(substring, d => d.Label == "SRV-A01-02");
        Assert.Empty(await admin.OpenDcim!.ListDevicesAsync(new DciDeviceQuery { Label = "A01-0" }).ToListAsync());
        var trimmed = Assert.Single(await admin.OpenDcim!.ListDevicesAsync(new DciDeviceQuery { Id = 3, Attributes = new[] { "Label" } }).ToListAsync());
        Assert.Equal("SRV-A01-01", trimmed.Label);
        Assert.Null(trimmed.SerialNo);
    }

    // ------------------------------------------------------------------ PUT creates, POST updates, DELETE

    [Fact]
    public async Task Create_upper_cases_the_label_update_re_reads_delete_answers_bare()
    {
        await using var sim = await StartAsync();
        using var admin = await KeyAsync(sim);
        var created = await admin.OpenDcim!.CreateDeviceAsync(new DciNewDevice { Label = "engine-box-7", Cabinet = 2, Position = 33, Height = 1, DeviceType = "Appliance", Owner = 3 });
        Assert.Equal("ENGINE-BOX-7", created.Label);
        Assert.Equal(3, created.Owner);
        var updated = await admin.OpenDcim!.UpdateDeviceAsync(created.Id, new Dictionary<string, object> { ["Notes"] = "moved", ["Position"] = 34L });
        Assert.Equal("moved", updated.Notes);
        Assert.Equal(34, updated.Position);
        await admin.OpenDcim!.DeleteDeviceAsync(created.Id);
        await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.GetDeviceAsync(created.Id));
        var again = await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.DeleteDeviceAsync(created.Id));
        Assert.Equal(404, again.HttpStatus);
        Assert.Equal("Device doesn't exist", again.ServerMessage);
    }

    [Fact]
    public async Task Departments_and_cabinets_come_back_keyed_by_a_string_id_and_are_read_as_numbers()
    {
        await using var sim = await StartAsync();
        using var admin = await KeyAsync(sim);
        var dept = await admin.OpenDcim!.CreateDepartmentAsync("Engine Dept", classification: "Customer");
        Assert.True(dept.Id > 4);
        Assert.Equal("Engine Dept", dept.Name);
        var cabinet = await admin.OpenDcim!.CreateCabinetAsync(1, "A09", 48, assignedTo: dept.Id);
        Assert.Equal("A09", cabinet.Location);
        Assert.Equal(48, cabinet.CabinetHeight);
        Assert.Equal(dept.Id, cabinet.AssignedTo);
    }

    [Fact]
    public async Task A_duplicate_department_HTML_500_with_a_stack_trace_is_one_clear_error()
    {
        await using var sim = await StartAsync();
        using var admin = await KeyAsync(sim);
        var failed = await Assert.ThrowsAsync<DciApiException>(() => admin.OpenDcim!.CreateDepartmentAsync("Finance"));
        Assert.Equal(500, failed.HttpStatus);
        Assert.Equal(DciErrorKind.ServerError, failed.Kind);
        Assert.Contains("Duplicate entry 'Finance'", failed.ServerMessage);
        Assert.DoesNotContain("<", failed.ServerMessage);
        Assert.DoesNotContain("#0", failed.ServerMessage);
    }

    [Fact]
    public async Task The_read_only_user_is_refused_POST_with_401_and_DELETE_with_403()
    {
        await using var sim = await StartAsync();
        using var viewer = await KeyAsync(sim, "viewer", ViewerKey);
        var post = await Assert.ThrowsAsync<DciApiException>(() => viewer.OpenDcim!.UpdateDeviceAsync(4, new Dictionary<string, object> { ["Notes"] = "x" }));
        Assert.Equal(401, post.HttpStatus);
        Assert.Equal(DciErrorKind.PermissionDenied, post.Kind);
        Assert.Equal("Access Denied", post.ServerMessage);
        var delete = await Assert.ThrowsAsync<DciApiException>(() => viewer.OpenDcim!.DeleteDeviceAsync(4));
        Assert.Equal(403, delete.HttpStatus);
        Assert.Equal(DciErrorKind.PermissionDenied, delete.Kind);
    }

    // ------------------------------------------------------------------ secrets

    [Fact]
    public async Task No_APIKey_reaches_a_person_object_a_trace_or_an_error()
    {
        await using var sim = await StartAsync();
        var sink = new CapturingSink();
        List<DciUser> people;
        DciApiException refused;
        using (DciTrace.Push(sink))
        {
            using var admin = await KeyAsync(sim);
            people = await admin.UserOps.ListAsync().ToListAsync();
            refused = await Assert.ThrowsAsync<DciApiException>(() => KeyAsync(sim, "viewer", "viewer-key-wrong-1"));
        }
        Assert.True(people.Count > 5);
        foreach (var person in people)
        {
            Assert.DoesNotContain(person.AdditionalProperties?.Keys ?? Enumerable.Empty<string>(), k => k.Equals("APIKey", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain("-key-", JsonSerializer.Serialize(person.AdditionalProperties?.ToString() ?? ""));
        }
        var traces = string.Join("\n", sink.All);
        Assert.NotEmpty(sink.All);
        Assert.DoesNotContain(AdminKey, traces);
        Assert.DoesNotContain("viewer-key-wrong-1", traces + refused);
    }

    [Fact]
    public async Task The_Basic_credential_never_reaches_a_trace()
    {
        await using var sim = await StartAsync();
        var sink = new CapturingSink();
        using (DciTrace.Push(sink))
        {
            using var basic = await BasicAsync(sim, "writer", "writer-pass");
            await basic.OpenDcim!.GetDeviceAsync(3);
        }
        var traces = string.Join("\n", sink.All);
        Assert.Contains("Authorization", traces);
        Assert.DoesNotContain("writer-pass", traces);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:writer-pass")), traces);
    }

    [Fact]
    public async Task Plain_http_to_another_host_is_refused_before_anything_is_sent()
    {
        var options = new DciConnectionOptions { BaseUri = new Uri("http://dcim.example.com/api/v1") };
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => DciConnection.ConnectOpenDcimAsync(options, "dcadmin", AdminKey, null));
        Assert.Contains("unencrypted", refused.Message);
        Assert.DoesNotContain(AdminKey, refused.Message);
    }

    // ------------------------------------------------------------------ streaming

    private static string Device(int id) =>
        "{\"DeviceID\":" + id.ToString(CultureInfo.InvariantCulture) + ",\"Label\":\"DEV-" + id.ToString("D6", CultureInfo.InvariantCulture)
        + "\",\"SerialNo\":\"SN" + id.ToString(CultureInfo.InvariantCulture) + "\",\"Cabinet\":1,\"Position\":1,\"Height\":1,\"DeviceType\":\"Server\",\"Owner\":1,\"Notes\":\"\"}";

    [Fact]
    public async Task The_first_device_reaches_the_caller_before_the_body_is_read_to_its_end()
    {
        var head = Encoding.UTF8.GetBytes("""{"error":false,"errorcode":200,"device":[""" + Device(1) + ",");
        var tail = Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(2, 500).Select(Device)) + "]}");
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tailSent = false;
        await using var hostile = HostileServer.Start(async (request, stream, ct) =>
        {
            if (!request.Path.EndsWith("/device", StringComparison.Ordinal))
                return await HostileServer.Reply(stream, 200, """{"error":false,"errorcode":200,"datacenter":[]}""", ct: ct);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {head.Length + tail.Length}\r\n\r\n"), ct);
            await stream.WriteAsync(head, ct);
            await stream.FlushAsync(ct);
            await Task.WhenAny(firstArrived.Task, Task.Delay(TimeSpan.FromSeconds(30), ct));
            tailSent = true;
            await stream.WriteAsync(tail, ct);
            await stream.FlushAsync(ct);
            return true;
        });
        using var connection = await DciConnection.ConnectOpenDcimAsync(HostileServer.Options(new Uri(hostile.BaseUri, "api/v1"), timeout: TimeSpan.FromSeconds(60)),
            "dcadmin", AdminKey, null);
        var count = 0;
        await foreach (var device in connection.OpenDcim!.ListDevicesAsync())
        {
            if (count++ == 0)
            {
                Assert.Equal(1, device.Id);
                Assert.False(tailSent, "the first device arrived only after the whole body was sent");
                firstArrived.SetResult();
            }
        }
        Assert.Equal(501, count);
    }

    [Fact]
    public async Task Reading_50000_devices_keeps_one_small_buffer()
    {
        var json = """{"error":false,"errorcode":200,"device":[""" + string.Join(",", Enumerable.Range(1, 50_000).Select(Device)) + "]}";
        var rows = 0;
        var highWater = 0;
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var count = await OpenDcimStreamReader.ReadAsync(body, "device", (batch, first) =>
        {
            for (var i = 0; i < batch.Length; i++) Assert.Equal(first + i + 1, OpenDcimClient.Int(batch[i], "DeviceID"));
            rows += batch.Length;
            return ValueTask.CompletedTask;
        }, default, high => highWater = high);
        Assert.Equal(50_000, rows);
        Assert.Equal(50_000, count);
        Assert.True(body.Length > 5_000_000, $"the answer is {body.Length} bytes");
        Assert.True(highWater <= 128 * 1024, $"the reader grew its buffer to {highWater} bytes");
    }

    [Fact]
    public async Task An_answer_cut_short_or_without_its_list_is_an_error_not_an_empty_list()
    {
        var answers = new Queue<string>(new[]
        {
            """{"error":false,"errorcode":200,"datacenter":[]}""",
            """{"error":false,"errorcode":200,"device":[""" + Device(1) + ",",
            """{"error":false,"errorcode":200}""",
        });
        await using var hostile = HostileServer.Start((request, stream, ct) => HostileServer.Reply(stream, 200, answers.Dequeue(), ct: ct));
        using var connection = await DciConnection.ConnectOpenDcimAsync(HostileServer.Options(new Uri(hostile.BaseUri, "api/v1"), maxTransient: 1), "dcadmin", AdminKey, null);
        await Assert.ThrowsAnyAsync<DciException>(() => connection.OpenDcim!.ListDevicesAsync().ToListAsync());
        await Assert.ThrowsAnyAsync<DciException>(() => connection.OpenDcim!.ListDevicesAsync().ToListAsync());
    }

    [Fact]
    public async Task Many_devices_stream_from_the_simulator_and_stopping_early_is_quiet()
    {
        await using var sim = await StartAsync(o => o.Devices = 5_000);
        using var admin = await KeyAsync(sim);
        Assert.True((await admin.OpenDcim!.ListDevicesAsync().ToListAsync()).Count >= 5_000);
        await foreach (var _ in admin.OpenDcim!.ListDevicesAsync()) break;
    }
}
