using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DciManager.Simulator;

namespace DciManager.Simulator.Tests;

/// <summary>An openDCIM simulator over loopback, driven with a raw HttpClient (no cookies).</summary>
public sealed class OdSim : IAsyncDisposable
{
    public const string AdminKey = "dcadmin-key-7f3a9c";
    public const string ViewerKey = "viewer-key-2b81d0";
    public const string WriterKey = "writer-key-5c47e2";

    public SimulatorHost Host { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public static async Task<OdSim> StartAsync(Action<SimulatorOptions>? configure = null)
    {
        var o = new SimulatorOptions { Platform = SimulatedPlatform.OpenDcim };
        configure?.Invoke(o);
        var sim = new OdSim { Host = await SimulatorHost.StartAsync(o) };
        sim.Http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri(sim.Host.BaseAddress, "api/v1/"), Timeout = TimeSpan.FromSeconds(60) };
        return sim;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public IReadOnlyList<LedgerEntry> Ledger => Host.State.Ledger;

    /// <summary>One request. <paramref name="user"/>/<paramref name="key"/> become the UserID/APIKey headers (null = not sent);
    /// <paramref name="basic"/> an Authorization: Basic header.</summary>
    public async Task<OdResp> SendAsync(HttpMethod method, string path, string? user = "dcadmin", string? key = AdminKey,
        (string User, string Password)? basic = null, string? json = null, string? jsonContentType = "application/json",
        string? form = null, bool acceptJson = false, string? cookie = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (user is not null) req.Headers.TryAddWithoutValidation("UserID", user);
        if (key is not null) req.Headers.TryAddWithoutValidation("APIKey", key);
        if (basic is { } b) req.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.User}:{b.Password}")));
        if (acceptJson) req.Headers.Accept.ParseAdd("application/json");
        if (cookie is not null) req.Headers.TryAddWithoutValidation("Cookie", cookie);
        if (json is not null)
        {
            req.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            if (jsonContentType is not null) req.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(jsonContentType);
        }
        if (form is not null) req.Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var resp = await Http.SendAsync(req);
        var body = await resp.Content.ReadAsStringAsync();
        return new OdResp((int)resp.StatusCode, body, resp.Content.Headers.ContentType?.MediaType, resp.Headers, resp.Content.Headers.ContentLength,
            string.Join(", ", resp.Content.Headers.Allow));
    }

    public Task<OdResp> GetAsync(string path, string? user = "dcadmin", string? key = AdminKey, bool acceptJson = false) =>
        SendAsync(HttpMethod.Get, path, user, key, acceptJson: acceptJson);

    public Task<OdResp> GetAsync(string path, (string User, string Password) basic) => SendAsync(HttpMethod.Get, path, null, null, basic);

    public Task<OdResp> PutAsync(string path, object body, string user = "dcadmin", string key = AdminKey) =>
        SendAsync(HttpMethod.Put, path, user, key, json: JsonSerializer.Serialize(body));

    public Task<OdResp> PostAsync(string path, object body, string user = "dcadmin", string key = AdminKey) =>
        SendAsync(HttpMethod.Post, path, user, key, json: JsonSerializer.Serialize(body));

    public Task<OdResp> DeleteAsync(string path, string user = "dcadmin", string key = AdminKey) =>
        SendAsync(HttpMethod.Delete, path, user, key);

    public async Task<JsonElement> DeviceAsync(long id)
    {
        var r = await GetAsync($"device?DeviceID={id}");
        return Assert.Single(r.List("device"));
    }
}

public sealed record OdResp(int Status, string Body, string? ContentType, HttpResponseHeaders Headers, long? ContentLength, string Allow)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public JsonElement[] List(string key) => Json.GetProperty(key).EnumerateArray().ToArray();
    public string Message => Json.GetProperty("message").GetString()!;

    public void AssertEnvelope(int code, bool error)
    {
        Assert.Equal(code, Status);
        Assert.Equal("application/json", ContentType);
        Assert.Equal(error, Json.GetProperty("error").GetBoolean());
        Assert.Equal(code, Json.GetProperty("errorcode").GetInt32());
    }

    public void AssertError(int code, string message)
    {
        AssertEnvelope(code, error: true);
        Assert.Equal(message, Message);
    }
}

public class OpenDcimTests
{
    private static readonly (string, string) AdminBasic = ("dcadmin", "admin-pass");
    private static readonly (string, string) ViewerBasic = ("viewer", "viewer-pass");

    private static string[] Keys(JsonElement o) => o.EnumerateObject().Select(p => p.Name).ToArray();

    private static object NewDeviceBody(int cabinet = 1) => new { Cabinet = cabinet, Position = 30, Height = 1, DeviceType = "Server", Owner = 1, PrimaryContact = 3 };

    // ------------------------------------------------------------------ authentication, key vhost

    [Fact]
    public async Task KeyVhost_WrongKey_Is200TextHtmlAccessDenied_EvenWithAcceptJson()
    {
        await using var sim = await OdSim.StartAsync();
        foreach (var path in new[] { "device", "datacenter", "no/such/route" })
        {
            var r = await sim.SendAsync(HttpMethod.Get, path, "viewer", "not-the-key", acceptJson: true);
            Assert.Equal(200, r.Status);
            Assert.Equal("text/html", r.ContentType);
            Assert.Equal("Access Denied", r.Body);
        }
        var put = await sim.PutAsync("device/X", NewDeviceBody(), "dcadmin", "wrong");
        Assert.Equal((200, "Access Denied"), (put.Status, put.Body));
        Assert.Empty(sim.Ledger);
    }

    [Fact]
    public async Task KeyVhost_MissingApiKeyOrUserIdOrUnknownUser_AccessDenied()
    {
        await using var sim = await OdSim.StartAsync();
        foreach (var (user, key) in new (string?, string?)[] { ("dcadmin", null), (null, OdSim.AdminKey), (null, null), ("ghost", "some-key"), ("ghost", null) })
        {
            var r = await sim.GetAsync("device", user, key);
            Assert.Equal((200, "text/html", "Access Denied"), (r.Status, r.ContentType, r.Body));
        }
    }

    [Fact]
    public async Task KeyVhost_UnknownUserWithEmptyApiKey_IsAccepted_WithEveryRightRevoked()
    {
        await using var sim = await OdSim.StartAsync();
        var devices = await sim.GetAsync("device", "ghost", "");
        devices.AssertEnvelope(200, error: false);
        var list = devices.List("device");
        Assert.Equal(sim.Host.OpenDcim!.DeviceCount, list.Length);
        Assert.All(list, d =>
        {
            Assert.Equal("None", d.GetProperty("Rights").GetString());
            Assert.Equal(JsonValueKind.Null, d.GetProperty("SerialNo").ValueKind);
            Assert.Equal(JsonValueKind.Null, d.GetProperty("Owner").ValueKind);
            Assert.Equal(JsonValueKind.Number, d.GetProperty("DeviceID").ValueKind);
            Assert.Equal(JsonValueKind.String, d.GetProperty("Label").ValueKind);
        });
        var dcs = await sim.GetAsync("datacenter", "ghost", "");
        Assert.Equal(2, dcs.List("datacenter").Length);
        var people = await sim.GetAsync("people", "ghost", "");
        Assert.All(people.List("people"), p => Assert.Equal(new[] { "PersonID", "FirstName", "LastName" }, Keys(p)));
        // ... and nothing can be written.
        Assert.Equal(401, (await sim.PutAsync("device/GHOST-1", NewDeviceBody(), "ghost", "")).Status);
    }

    [Fact]
    public async Task KeyVhost_KnownUserWithEmptyApiKey_AccessDenied()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.GetAsync("device", "viewer", "");
        Assert.Equal((200, "Access Denied"), (r.Status, r.Body));
    }

    [Fact]
    public async Task KeyVhost_ApiKeyComparedWithPhpLooseEquals_NumericKeysCompareAsNumbers()
    {
        await using var sim = await OdSim.StartAsync();
        // numkey's key is "1000": PHP's "1e3" == "1000" is true.
        foreach (var key in new[] { "1000", "1e3", "1000.0", "01000" })
            (await sim.GetAsync("datacenter", "numkey", key)).AssertEnvelope(200, error: false);
        Assert.Equal("Access Denied", (await sim.GetAsync("datacenter", "numkey", "1001")).Body);
        Assert.Equal("Access Denied", (await sim.GetAsync("datacenter", "numkey", "1000x")).Body);
    }

    [Fact]
    public async Task KeyVhost_HeaderNamesInAnyCase_AndNoCookieNeeded()
    {
        await using var sim = await OdSim.StartAsync();
        using var req = new HttpRequestMessage(HttpMethod.Get, "datacenter");
        req.Headers.TryAddWithoutValidation("userid", "viewer");
        req.Headers.TryAddWithoutValidation("APIKEY", OdSim.ViewerKey);
        using var resp = await sim.Http.SendAsync(req);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Equal("application/json", resp.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SessionCookie_SetOnEveryPhpAnswer_NeverStandsInForTheHeaders_AndIsCounted()
    {
        await using var sim = await OdSim.StartAsync();
        var ok = await sim.GetAsync("datacenter", "viewer", OdSim.ViewerKey);
        var cookie = Assert.Single(ok.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("PHPSESSID=", cookie);
        Assert.StartsWith("PHPSESSID=", Assert.Single((await sim.GetAsync("device", "viewer", "bad")).Headers.GetValues("Set-Cookie")));
        Assert.Equal(0, sim.Host.OpenDcim!.CookieRequests);

        var withCookieOnly = await sim.SendAsync(HttpMethod.Get, "datacenter", null, null, cookie: cookie.Split(';')[0]);
        Assert.Equal((200, "Access Denied"), (withCookieOnly.Status, withCookieOnly.Body));
        var withCookieAndBadKey = await sim.SendAsync(HttpMethod.Get, "datacenter", "viewer", "bad", cookie: cookie.Split(';')[0]);
        Assert.Equal("Access Denied", withCookieAndBadKey.Body);
        Assert.Equal(2, sim.Host.OpenDcim.CookieRequests);
    }

    // ------------------------------------------------------------------ authentication, Basic vhost

    [Fact]
    public async Task BasicVhost_BadOrNoCredentials_Apache401_WithRealm_AndHtmlPage()
    {
        await using var sim = await OdSim.StartAsync(o => o.OpenDcimAuth = OpenDcimAuthMode.Basic);
        foreach (var r in new[]
        {
            await sim.GetAsync("device", ("viewer", "wrong")),
            await sim.GetAsync("device", ("nosuchuser", "x")),
            await sim.GetAsync("device", null, null),
            await sim.GetAsync("no/such/route", ("viewer", "wrong")),
        })
        {
            Assert.Equal(401, r.Status);
            Assert.Equal("text/html", r.ContentType);
            Assert.Equal("Basic realm=\"openDCIM\"", Assert.Single(r.Headers.GetValues("WWW-Authenticate")));
            Assert.Contains("<title>401 Unauthorized</title>", r.Body);
            Assert.Contains("Apache", r.Body);
            Assert.False(r.Headers.Contains("Set-Cookie")); // Apache answers before PHP runs
        }
    }

    [Fact]
    public async Task BasicVhost_IgnoresApiKeyHeaders()
    {
        await using var sim = await OdSim.StartAsync(o => o.OpenDcimAuth = OpenDcimAuthMode.Basic);
        Assert.Equal(401, (await sim.GetAsync("device", "dcadmin", OdSim.AdminKey)).Status);
        // Valid Basic credentials of a read-only user plus the admin's headers: the headers change nothing.
        var r = await sim.SendAsync(HttpMethod.Put, "device/X1", "dcadmin", OdSim.AdminKey, ViewerBasic, json: JsonSerializer.Serialize(NewDeviceBody()));
        r.AssertError(401, "Access Denied");
    }

    [Fact]
    public async Task BasicVhost_ValidCredentials_AnswerAsThatUser()
    {
        await using var sim = await OdSim.StartAsync(o => o.OpenDcimAuth = OpenDcimAuthMode.Basic);
        var people = await sim.GetAsync("people", AdminBasic);
        people.AssertEnvelope(200, error: false);
        Assert.Contains(people.List("people"), p => p.GetProperty("APIKey").GetString() == OdSim.ViewerKey);
        var devices = await sim.GetAsync("device", ViewerBasic);
        Assert.All(devices.List("device"), d => Assert.Equal("Read", d.GetProperty("Rights").GetString()));
    }

    [Fact]
    public async Task BasicVhost_HtpasswdUserWithoutPeopleRow_IsAUserWithNoRights()
    {
        await using var sim = await OdSim.StartAsync(o => o.OpenDcimAuth = OpenDcimAuthMode.Basic);
        var r = await sim.GetAsync("device", ("apacheonly", "apache-pass"));
        r.AssertEnvelope(200, error: false);
        Assert.All(r.List("device"), d => Assert.Equal("None", d.GetProperty("Rights").GetString()));
        Assert.Equal(new[] { "PersonID", "FirstName", "LastName" }, Keys((await sim.GetAsync("people", ("apacheonly", "apache-pass"))).List("people")[0]));
    }

    [Fact]
    public async Task KeyOnlyMode_IgnoresBasicCredentials()
    {
        await using var sim = await OdSim.StartAsync(o => o.OpenDcimAuth = OpenDcimAuthMode.ApiKey);
        var r = await sim.GetAsync("device", AdminBasic);
        Assert.Equal((200, "Access Denied"), (r.Status, r.Body));
        (await sim.GetAsync("device")).AssertEnvelope(200, error: false);
    }

    [Fact]
    public async Task BothMode_AuthorizationHeaderSelectsTheBasicVhost_OtherwiseTheKeyVhost()
    {
        await using var sim = await OdSim.StartAsync();
        Assert.Equal(401, (await sim.GetAsync("device", ("viewer", "bad"))).Status);
        (await sim.GetAsync("device", ViewerBasic)).AssertEnvelope(200, error: false);
        var none = await sim.GetAsync("device", null, null);
        Assert.Equal((200, "Access Denied"), (none.Status, none.Body));
        (await sim.GetAsync("device")).AssertEnvelope(200, error: false);
    }

    // ------------------------------------------------------------------ GET routes and shapes

    [Fact]
    public async Task People_ContactAdmin_GetsEveryField_IncludingEveryonesApiKey_OrderedByLastNameFirstName()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.GetAsync("people");
        r.AssertEnvelope(200, error: false);
        var people = r.List("people");
        var first = people[0];
        Assert.Equal(new[] { "PersonID", "UserID", "LastName", "FirstName", "Phone1", "Phone2", "countryCode", "Email", "AdminOwnDevices",
            "ReadAccess", "WriteAccess", "DeleteAccess", "ContactAdmin", "RackRequest", "RackAdmin", "BulkOperations", "SiteAdmin", "APIKey",
            "Disabled", "LastActivity", "ExpirationDate" }, Keys(first));
        Assert.Equal(JsonValueKind.Number, first.GetProperty("PersonID").ValueKind);
        Assert.Equal(JsonValueKind.Number, first.GetProperty("ReadAccess").ValueKind);
        Assert.Equal(("0000-00-00 00:00:00", "0000-00-00"), (first.GetProperty("LastActivity").GetString(), first.GetProperty("ExpirationDate").GetString()));
        Assert.Contains(people, p => p.GetProperty("UserID").GetString() == "writer" && p.GetProperty("APIKey").GetString() == OdSim.WriterKey);
        var names = people.Select(p => (p.GetProperty("LastName").GetString()!, p.GetProperty("FirstName").GetString()!)).ToList();
        Assert.Equal(names.OrderBy(n => n.Item1, StringComparer.OrdinalIgnoreCase).ThenBy(n => n.Item2, StringComparer.OrdinalIgnoreCase).ToList(), names);
    }

    [Fact]
    public async Task People_NotContactAdmin_GetsOnlyPersonIdFirstNameLastName()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.GetAsync("people", "writer", OdSim.WriterKey);
        r.AssertEnvelope(200, error: false);
        Assert.All(r.List("people"), p => Assert.Equal(new[] { "PersonID", "FirstName", "LastName" }, Keys(p)));
        Assert.DoesNotContain("APIKey", r.Body);
    }

    [Fact]
    public async Task Department_List_Fields()
    {
        await using var sim = await OdSim.StartAsync();
        var d = (await sim.GetAsync("department", "viewer", OdSim.ViewerKey)).List("department");
        Assert.Equal(new[] { "DeptID", "Name", "ExecSponsor", "SDM", "Classification", "DeptColor" }, Keys(d[0]));
        Assert.Equal(JsonValueKind.Number, d[0].GetProperty("DeptID").ValueKind);
        Assert.Contains(d, x => x.GetProperty("Name").GetString() == "Finance" && x.GetProperty("DeptColor").GetString() == "#FFFFFF");
    }

    [Fact]
    public async Task Datacenter_List_Fields_NoRightsCheck()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.GetAsync("datacenter", "norights", "norights-key-0d0d0d");
        var dcs = r.List("datacenter");
        Assert.Equal(new[] { "DC-East", "DC-West" }, dcs.Select(d => d.GetProperty("Name").GetString()).ToArray());
        Assert.Equal(new[] { "DataCenterID", "Name", "SquareFootage", "DeliveryAddress", "countryCode", "Administrator", "MaxkW", "DrawingFileName",
            "EntryLogging", "dcconfig", "ContainerID", "MapX", "MapY", "U1Position" }, Keys(dcs[0]));
        Assert.Equal(JsonValueKind.Null, dcs[0].GetProperty("dcconfig").ValueKind);
        Assert.Equal(12000, dcs[0].GetProperty("SquareFootage").GetInt32());
    }

    [Fact]
    public async Task DatacenterById_IsAListOfOne_UnknownOrNonNumericIs400()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.GetAsync("datacenter/2");
        r.AssertEnvelope(200, error: false);
        Assert.Equal(JsonValueKind.Array, r.Json.GetProperty("datacenter").ValueKind);
        Assert.Equal("DC-West", Assert.Single(r.List("datacenter")).GetProperty("Name").GetString());
        (await sim.GetAsync("datacenter/9999")).AssertError(400, "The requested resource does not exist.");
        (await sim.GetAsync("datacenter/abc")).AssertError(400, "The requested resource does not exist.");
    }

    [Fact]
    public async Task Cabinet_List_CarriesRightsAndDataCenterName_FilteredByDataCenterId()
    {
        await using var sim = await OdSim.StartAsync();
        var all = (await sim.GetAsync("cabinet", "viewer", OdSim.ViewerKey)).List("cabinet");
        Assert.Equal(6, all.Length);
        var keys = Keys(all[0]);
        Assert.Equal("CabinetID", keys[0]);
        Assert.Equal(new[] { "U1Position", "Rights", "DataCenterName" }, keys[^3..]);
        Assert.All(all, c => Assert.Equal("Read", c.GetProperty("Rights").GetString()));
        var west = (await sim.GetAsync("cabinet?DataCenterID=2")).List("cabinet");
        Assert.Equal(3, west.Length);
        Assert.All(west, c => Assert.Equal("DC-West", c.GetProperty("DataCenterName").GetString()));
        Assert.All(west, c => Assert.Equal("Write", c.GetProperty("Rights").GetString()));
        Assert.Contains(west, c => c.GetProperty("CabinetID").GetInt32() == 5 && c.GetProperty("AssignedTo").GetInt32() == 3 && c.GetProperty("CabinetHeight").GetInt32() == 42);
        Assert.All(all, c => Assert.Equal("1969-12-31", c.GetProperty("InstallationDate").GetString()));
        // attributes= without DataCenterID: the route adds no DataCenterName.
        var trimmed = (await sim.GetAsync("cabinet?attributes=CabinetID,Location")).List("cabinet");
        Assert.All(trimmed, c => Assert.Equal(new[] { "CabinetID", "Location" }, Keys(c)));
    }

    [Fact]
    public async Task Device_List_FieldsAndTypes_IdsAreNumbers_OrderedByLabel()
    {
        await using var sim = await OdSim.StartAsync();
        var devices = (await sim.GetAsync("device")).List("device");
        Assert.True(devices.Length >= 30);
        var labels = devices.Select(d => d.GetProperty("Label").GetString()!).ToList();
        Assert.Equal(labels.OrderBy(l => l, StringComparer.OrdinalIgnoreCase).ToList(), labels);
        var srv = devices.Single(d => d.GetProperty("Label").GetString() == "SRV-A01-01");
        foreach (var k in new[] { "DeviceID", "Owner", "PrimaryContact", "Cabinet", "Position", "Height", "ParentDevice", "HalfDepth", "Weight" })
            Assert.Equal(JsonValueKind.Number, srv.GetProperty(k).ValueKind);
        Assert.Equal("2c", srv.GetProperty("SNMPVersion").GetString());
        Assert.Equal("", srv.GetProperty("SNMPCommunity").GetString());
        Assert.Equal("1969-12-31", srv.GetProperty("MfgDate").GetString());
        Assert.Equal("1969-12-31 00:00:00", srv.GetProperty("AuditStamp").GetString());
        Assert.Equal(JsonValueKind.Null, srv.GetProperty("CustomValues").ValueKind);
        Assert.Equal("Write", srv.GetProperty("Rights").GetString());
        Assert.Equal("Production", srv.GetProperty("Status").GetString());
        var types = devices.Select(d => d.GetProperty("DeviceType").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Server", "Switch", "Appliance", "Chassis", "CDU", "Storage Array", "Patch Panel" }, types);
        Assert.All(devices, d => Assert.NotEqual(0, d.GetProperty("Owner").GetInt32()));
        Assert.Contains(devices, d => d.GetProperty("ParentDevice").GetInt32() != 0);
    }

    [Fact]
    public async Task Device_Filters_AreExactMatches_AndAnded_LabelIgnoresCase()
    {
        await using var sim = await OdSim.StartAsync();
        var r = (await sim.GetAsync("device?Cabinet=1&DeviceType=Server")).List("device");
        Assert.Equal(3, r.Length);
        Assert.All(r, d => Assert.Equal((1, "Server"), (d.GetProperty("Cabinet").GetInt32(), d.GetProperty("DeviceType").GetString())));
        Assert.Equal("SRV-A01-01", Assert.Single((await sim.GetAsync("device?Label=srv-a01-01")).List("device")).GetProperty("Label").GetString());
        Assert.Empty((await sim.GetAsync("device?Label=srv-a01")).List("device"));
    }

    [Fact]
    public async Task Device_Wildcards_AnyValueSwitchesEveryFilterToSubstring_WithoutItPercentIsLiteral()
    {
        await using var sim = await OdSim.StartAsync();
        var west = (await sim.GetAsync("device?Label=srv-w%25&wildcards=1")).List("device");
        Assert.Equal(9, west.Length);
        Assert.All(west, d => Assert.StartsWith("SRV-W", d.GetProperty("Label").GetString()));
        Assert.Empty((await sim.GetAsync("device?Label=srv-w%25")).List("device"));
        var a02 = (await sim.GetAsync("device?Label=a02&wildcards")).List("device");
        Assert.All(a02, d => Assert.Contains("A02", d.GetProperty("Label").GetString()));
        Assert.Equal(8, a02.Length);
        // WILDCARDS is matched by name regardless of case; numbers become substring matches too.
        var cab = (await sim.GetAsync("device?Label=SRV-A0&Cabinet=1&WildCards=no")).List("device");
        Assert.Equal(3, cab.Length);
    }

    [Fact]
    public async Task Attributes_TrimEachObjectToTheNamedKeys_UnknownNamesDropped()
    {
        await using var sim = await OdSim.StartAsync();
        var r = (await sim.GetAsync("device?attributes=DeviceID,Label,Cabinet,NoSuchThing")).List("device");
        Assert.All(r, d => Assert.Equal(new[] { "DeviceID", "Label", "Cabinet" }, Keys(d)));
        Assert.Equal(JsonValueKind.Number, r[0].GetProperty("DeviceID").ValueKind);
        var people = (await sim.GetAsync("people?attributes=UserID,APIKey")).List("people");
        Assert.All(people, p => Assert.Equal(new[] { "UserID", "APIKey" }, Keys(p)));
        var dcs = (await sim.GetAsync("datacenter?attributes=Name")).List("datacenter");
        Assert.All(dcs, d => Assert.Equal(new[] { "Name" }, Keys(d)));
    }

    [Fact]
    public async Task UnknownFilterKey_IsIgnored_FullList()
    {
        await using var sim = await OdSim.StartAsync();
        var all = (await sim.GetAsync("device")).List("device").Length;
        Assert.Equal(all, (await sim.GetAsync("device?Foo=bar")).List("device").Length);
        // Property names are case-sensitive in PHP: "label" is not a filter.
        Assert.Equal(all, (await sim.GetAsync("device?label=nothing")).List("device").Length);
        Assert.Equal(2, (await sim.GetAsync("datacenter?Foo=bar")).List("datacenter").Length);
    }

    [Fact]
    public async Task GetDeviceById_Is405_HtmlOrSlimJson_UseTheDeviceIdFilter()
    {
        await using var sim = await OdSim.StartAsync();
        var html = await sim.GetAsync("device/3");
        Assert.Equal(405, html.Status);
        Assert.Equal("text/html", html.ContentType);
        Assert.Contains("Method not allowed. Must be one of: <strong>POST, PUT, DELETE</strong>", html.Body);
        var json = await sim.GetAsync("device/3", acceptJson: true);
        Assert.Equal(405, json.Status);
        Assert.Equal("application/json", json.ContentType);
        Assert.Equal("{\"message\":\"Method not allowed. Must be one of: POST, PUT, DELETE\"}", json.Body);
        Assert.Equal("POST, PUT, DELETE", json.Allow);
        var list = await sim.GetAsync("device?DeviceID=3");
        Assert.Equal(JsonValueKind.Array, list.Json.GetProperty("device").ValueKind);
        Assert.Equal(3, Assert.Single(list.List("device")).GetProperty("DeviceID").GetInt32());
    }

    [Fact]
    public async Task UnknownRoute_Is404_SlimHtmlOrSlimJson_NoOpenDcimEnvelope()
    {
        await using var sim = await OdSim.StartAsync();
        var html = await sim.GetAsync("nosuchroute");
        Assert.Equal((404, "text/html"), (html.Status, html.ContentType));
        Assert.Contains("Page Not Found", html.Body);
        var json = await sim.GetAsync("nosuchroute", acceptJson: true);
        Assert.Equal((404, "{\"message\":\"Not found\"}"), (json.Status, json.Body));
        Assert.Equal(404, (await sim.GetAsync("device/3/nothing", acceptJson: true)).Status);
        var outside = await sim.SendAsync(HttpMethod.Get, "/index.php");
        Assert.Equal((404, "text/html"), (outside.Status, outside.ContentType));
    }

    // ------------------------------------------------------------------ devices: create, update, delete

    [Fact]
    public async Task PutDevice_CreatesAndAnswersAnObject_IntIds_LabelUpperCased_UnsetDates1969()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PutAsync("device/srv-new-01", new { Cabinet = 2, Position = 30, Height = 2, DeviceType = "Server", Owner = 2, PrimaryContact = 7, SerialNo = "XYZ1" });
        r.AssertEnvelope(200, error: false);
        var d = r.Json.GetProperty("device");
        Assert.Equal(JsonValueKind.Object, d.ValueKind);
        Assert.Equal("SRV-NEW-01", d.GetProperty("Label").GetString());
        Assert.Equal(JsonValueKind.Number, d.GetProperty("DeviceID").ValueKind);
        Assert.Equal(2, d.GetProperty("Cabinet").GetInt32());
        Assert.Equal(2, d.GetProperty("Owner").GetInt32());
        Assert.Equal("XYZ1", d.GetProperty("SerialNo").GetString());
        Assert.Equal("1969-12-31", d.GetProperty("InstallDate").GetString());
        Assert.Equal("1969-12-31", d.GetProperty("MfgDate").GetString());
        var id = d.GetProperty("DeviceID").GetInt64();
        Assert.Equal("SRV-NEW-01", (await sim.DeviceAsync(id)).GetProperty("Label").GetString());
        var entry = Assert.Single(sim.Ledger);
        Assert.Equal(("opendcim.device.create", (int)id, "SRV-NEW-01"), (entry.Operation, entry.ServerId, entry.Detail));
    }

    [Fact]
    public async Task PutDevice_WithTemplate_PrefillsFromIt_ExplicitValuesWin()
    {
        await using var sim = await OdSim.StartAsync();
        var d = (await sim.PutAsync("device/sw-x", new { Cabinet = 1, Position = 35, TemplateID = 2, Ports = 24 })).Json.GetProperty("device");
        Assert.Equal(("Switch", 1, 24), (d.GetProperty("DeviceType").GetString(), d.GetProperty("Height").GetInt32(), d.GetProperty("Ports").GetInt32()));
    }

    [Fact]
    public async Task PutDevice_UnknownCabinet_Is404CabinetNotFound()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.PutAsync("device/X", NewDeviceBody(cabinet: 999))).AssertError(404, "Cabinet not found");
        Assert.Empty(sim.Ledger);
    }

    [Fact]
    public async Task ReadOnlyUser_PutDeviceAndPutCabinet_Are401AccessDenied()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.PutAsync("device/X", NewDeviceBody(), "viewer", OdSim.ViewerKey)).AssertError(401, "Access Denied");
        (await sim.PutAsync("cabinet", new { DataCenterID = 1, Location = "A09", CabinetHeight = 42 }, "viewer", OdSim.ViewerKey)).AssertError(401, "Access Denied");
        Assert.Empty(sim.Ledger);
    }

    [Fact]
    public async Task PostDevice_AnswersBareEnvelope_ReReadShowsTheUpdate()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PostAsync("device/3", new { Notes = "refreshed 2026", Position = 7 });
        r.AssertEnvelope(200, error: false);
        Assert.Equal(new[] { "error", "errorcode" }, Keys(r.Json));
        var d = await sim.DeviceAsync(3);
        Assert.Equal(("refreshed 2026", 7), (d.GetProperty("Notes").GetString(), d.GetProperty("Position").GetInt32()));
        Assert.Equal("SRV-A01-01", d.GetProperty("Label").GetString());
        var e = Assert.Single(sim.Ledger);
        Assert.Equal(("opendcim.device.update", 3), (e.Operation, e.ServerId));
    }

    [Fact]
    public async Task PostDevice_ReadOnlyUser_Is401_UnknownDevice_Is404()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.PostAsync("device/3", new { Notes = "x" }, "viewer", OdSim.ViewerKey)).AssertError(401, "Access Denied");
        (await sim.PostAsync("device/999999", new { Notes = "x" })).AssertError(404, "No device found with DeviceID 999999");
        Assert.Empty(sim.Ledger);
        Assert.Equal("", (await sim.DeviceAsync(3)).GetProperty("Notes").GetString());
    }

    [Fact]
    public async Task DeleteDevice_AnswersBareEnvelope_ReadOnlyIs403Unauthorized_UnknownOrDeletedIs404()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.DeleteAsync("device/4", "viewer", OdSim.ViewerKey)).AssertError(403, "Unauthorized");
        Assert.NotNull(sim.Host.OpenDcim!.DeviceLabel(4));
        var r = await sim.DeleteAsync("device/4", "writer", OdSim.WriterKey);
        r.AssertEnvelope(200, error: false);
        Assert.Equal(new[] { "error", "errorcode" }, Keys(r.Json));
        Assert.Empty((await sim.GetAsync("device?DeviceID=4")).List("device"));
        (await sim.DeleteAsync("device/4")).AssertError(404, "Device doesn't exist");
        (await sim.DeleteAsync("device/999999")).AssertError(404, "Device doesn't exist");
        Assert.Equal(new[] { "opendcim.device.delete" }, sim.Ledger.Select(e => e.Operation).ToArray());
    }

    [Fact]
    public async Task CreateUpdateDeleteCycle_AsWriter_EachStepReReadAndLedgered()
    {
        await using var sim = await OdSim.StartAsync();
        var before = (await sim.GetAsync("device")).List("device").Length;
        var created = (await sim.PutAsync("device/cycle-01", NewDeviceBody(4), "writer", OdSim.WriterKey)).Json.GetProperty("device");
        var id = created.GetProperty("DeviceID").GetInt64();
        Assert.Equal(before + 1, (await sim.GetAsync("device")).List("device").Length);
        (await sim.PostAsync($"device/{id}", new { Label = "cycle-01-renamed", Cabinet = 5 }, "writer", OdSim.WriterKey)).AssertEnvelope(200, false);
        var updated = await sim.DeviceAsync(id);
        Assert.Equal(("CYCLE-01-RENAMED", 5), (updated.GetProperty("Label").GetString(), updated.GetProperty("Cabinet").GetInt32()));
        (await sim.DeleteAsync($"device/{id}", "writer", OdSim.WriterKey)).AssertEnvelope(200, false);
        Assert.Equal(before, (await sim.GetAsync("device")).List("device").Length);
        Assert.Equal(new[] { "opendcim.device.create", "opendcim.device.update", "opendcim.device.delete" }, sim.Ledger.Select(e => e.Operation).ToArray());
        Assert.All(sim.Ledger, e => Assert.Equal((int)id, e.ServerId));
    }

    [Fact]
    public async Task RightsModel_DepartmentMemberWritesOnlyItsDepartmentsDevices()
    {
        await using var sim = await OdSim.StartAsync();
        const string key = "deptuser-key-9e10aa";
        var devices = (await sim.GetAsync("device", "deptuser", key)).List("device");
        Assert.All(devices, d => Assert.Equal(d.GetProperty("Owner").GetInt32() == 2 ? "Write" : "Read", d.GetProperty("Rights").GetString()));
        var finance = devices.First(d => d.GetProperty("Owner").GetInt32() == 2).GetProperty("DeviceID").GetInt64();
        var other = devices.First(d => d.GetProperty("Owner").GetInt32() != 2).GetProperty("DeviceID").GetInt64();
        (await sim.PostAsync($"device/{finance}", new { Notes = "mine" }, "deptuser", key)).AssertEnvelope(200, false);
        (await sim.PostAsync($"device/{other}", new { Notes = "not mine" }, "deptuser", key)).AssertError(401, "Access Denied");
        (await sim.DeleteAsync($"device/{other}", "deptuser", key)).AssertError(403, "Unauthorized");
    }

    [Fact]
    public async Task DevicesWithoutReadRights_AreStillListed_AsNoneWithNullFields()
    {
        await using var sim = await OdSim.StartAsync();
        var r = (await sim.GetAsync("device?DeviceID=3", "norights", "norights-key-0d0d0d")).List("device");
        var d = Assert.Single(r);
        Assert.Equal("None", d.GetProperty("Rights").GetString());
        Assert.Equal("SRV-A01-01", d.GetProperty("Label").GetString());
        Assert.Equal(1, d.GetProperty("Cabinet").GetInt32());
        Assert.Equal(JsonValueKind.Null, d.GetProperty("PrimaryIP").ValueKind);
        Assert.Equal(JsonValueKind.Null, d.GetProperty("PrimaryContact").ValueKind);
    }

    // ------------------------------------------------------------------ parameters

    [Fact]
    public async Task QueryParametersWinOverTheBody_TheBodyIsIgnoredWhenAnyIsPresent()
    {
        await using var sim = await OdSim.StartAsync();
        var d = (await sim.SendAsync(HttpMethod.Put, "device/qp-1?Cabinet=2", json: JsonSerializer.Serialize(new { Cabinet = 1, Position = 33, Notes = "from body" })))
            .Json.GetProperty("device");
        Assert.Equal((2, 0, ""), (d.GetProperty("Cabinet").GetInt32(), d.GetProperty("Position").GetInt32(), d.GetProperty("Notes").GetString()));
        // A GET filter in the body applies when there is no query string.
        var filtered = await sim.SendAsync(HttpMethod.Get, "device", json: "{\"Cabinet\":1,\"DeviceType\":\"Server\"}");
        Assert.Equal(3, filtered.List("device").Length);
    }

    [Fact]
    public async Task JsonBodyWithoutJsonContentType_IsSilentlyIgnored_StillAnswers200()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.SendAsync(HttpMethod.Post, "device/3", json: "{\"Notes\":\"lost\"}", jsonContentType: "text/plain");
        r.AssertEnvelope(200, error: false);
        Assert.Equal("", (await sim.DeviceAsync(3)).GetProperty("Notes").GetString());
        Assert.Empty(sim.Ledger);
    }

    [Fact]
    public async Task FormEncodedBody_Works()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.SendAsync(HttpMethod.Post, "device/3", form: "Notes=from+a+form&Position=9")).AssertEnvelope(200, error: false);
        var d = await sim.DeviceAsync(3);
        Assert.Equal(("from a form", 9), (d.GetProperty("Notes").GetString(), d.GetProperty("Position").GetInt32()));
    }

    // ------------------------------------------------------------------ cabinets, departments, people

    [Fact]
    public async Task PutCabinet_AnswersMapKeyedById_ValuesAsStrings_UnsetNumbersEmpty()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PutAsync("cabinet", new { DataCenterID = 2, Location = "W09", CabinetHeight = 42 });
        r.AssertEnvelope(200, error: false);
        var map = r.Json.GetProperty("cabinet");
        var prop = Assert.Single(map.EnumerateObject());
        Assert.Equal("7", prop.Name);
        Assert.Equal("7", prop.Value.GetProperty("CabinetID").GetString());
        Assert.Equal("2", prop.Value.GetProperty("DataCenterID").GetString());
        Assert.Equal("42", prop.Value.GetProperty("CabinetHeight").GetString());
        Assert.Equal("", prop.Value.GetProperty("MaxKW").GetString());
        Assert.All(prop.Value.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        // Re-read: a number again.
        var cab = Assert.Single((await sim.GetAsync("cabinet?CabinetID=7")).List("cabinet"));
        Assert.Equal((7, "DC-West"), (cab.GetProperty("CabinetID").GetInt32(), cab.GetProperty("DataCenterName").GetString()));
        Assert.Equal("opendcim.cabinet.create", Assert.Single(sim.Ledger).Operation);
    }

    [Fact]
    public async Task DeleteCabinet_Unknown_Is404_Known_RemovesIt()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.DeleteAsync("cabinet/77")).AssertError(404, "Failed to delete cabinet with CabinetID 77");
        var id = (await sim.PutAsync("cabinet", new { DataCenterID = 1, Location = "TMP", CabinetHeight = 42 })).Json.GetProperty("cabinet").EnumerateObject().Single().Name;
        (await sim.DeleteAsync($"cabinet/{id}")).AssertEnvelope(200, error: false);
        Assert.Empty((await sim.GetAsync($"cabinet?CabinetID={id}")).List("cabinet"));
        (await sim.DeleteAsync($"cabinet/{id}")).AssertError(404, $"Failed to delete cabinet with CabinetID {id}");
    }

    [Fact]
    public async Task PutDepartment_AnswersMapKeyedById_StringId()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PutAsync("department/Logistics", new { ExecSponsor = "Li Chen", Classification = "Department" });
        r.AssertEnvelope(200, error: false);
        var prop = Assert.Single(r.Json.GetProperty("department").EnumerateObject());
        Assert.Equal("5", prop.Name);
        Assert.Equal(("5", "Logistics", "Li Chen"), (prop.Value.GetProperty("DeptID").GetString(), prop.Value.GetProperty("Name").GetString(), prop.Value.GetProperty("ExecSponsor").GetString()));
        Assert.Contains((await sim.GetAsync("department?Name=logistics")).List("department"), d => d.GetProperty("DeptID").GetInt32() == 5);
    }

    [Fact]
    public async Task PutDepartment_ExistingName_Is500SlimHtmlPageWithStackTrace_NotJson()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.SendAsync(HttpMethod.Put, "department/Finance", json: "{}", acceptJson: true);
        Assert.Equal((500, "text/html"), (r.Status, r.ContentType));
        Assert.Contains("Slim Application Error", r.Body);
        Assert.Contains("PDOException", r.Body);
        Assert.Contains("Duplicate entry", r.Body);
        Assert.Contains("#0 /var/www/opendcim/classes/Department.class.php", r.Body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(r.Body));
        Assert.Empty(sim.Ledger);
    }

    [Fact]
    public async Task PutPeople_AnswersStringId_EmptyStringForUnsetRights()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PutAsync("people/newbie", new { LastName = "Bie", FirstName = "New", APIKey = "newbie-key" });
        r.AssertEnvelope(200, error: false);
        var p = r.Json.GetProperty("people");
        Assert.Equal(JsonValueKind.Object, p.ValueKind);
        Assert.Equal(("10", "newbie", "", ""), (p.GetProperty("PersonID").GetString(), p.GetProperty("UserID").GetString(),
            p.GetProperty("ReadAccess").GetString(), p.GetProperty("SiteAdmin").GetString()));
        // The new person can use its key.
        (await sim.GetAsync("datacenter", "newbie", "newbie-key")).AssertEnvelope(200, error: false);
        Assert.Equal("opendcim.people.create", Assert.Single(sim.Ledger).Operation);
    }

    [Fact]
    public async Task PutPeople_ExistingUserId_Is403()
    {
        await using var sim = await OdSim.StartAsync();
        (await sim.PutAsync("people/viewer", new { LastName = "Again" })).AssertError(403, "UserID already in database.  Use the update API to modify record.");
    }

    [Fact]
    public async Task PutPeople_ByReadOnlyUser_StillCreates_Bug()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PutAsync("people/sneaky", new { LastName = "Sneaky" }, "viewer", OdSim.ViewerKey);
        r.AssertEnvelope(200, error: false);
        Assert.Contains((await sim.GetAsync("people?UserID=sneaky")).List("people"), p => p.GetProperty("LastName").GetString() == "Sneaky");
    }

    [Fact]
    public async Task PostPeople_AnswersMessageAndMixedTypes_UnknownIs404_NonContactAdminIs401()
    {
        await using var sim = await OdSim.StartAsync();
        var r = await sim.PostAsync("people/viewer", new { Phone2 = "+1 555 0000", WriteAccess = 1 });
        r.AssertEnvelope(200, error: false);
        Assert.Equal("People resource for UserID=viewer updated successfully.", r.Message);
        var p = r.Json.GetProperty("people");
        Assert.Equal(JsonValueKind.Number, p.GetProperty("PersonID").ValueKind);
        Assert.Equal("1", p.GetProperty("WriteAccess").GetString());
        Assert.Equal(JsonValueKind.Number, p.GetProperty("ReadAccess").ValueKind);
        Assert.Equal("Write", (await sim.GetAsync("device?DeviceID=3", "viewer", OdSim.ViewerKey)).List("device")[0].GetProperty("Rights").GetString());
        (await sim.PostAsync("people/999", new { Phone2 = "x" })).AssertError(404, "UserID=999 not found in database.");
        (await sim.PostAsync("people/viewer", new { Phone2 = "x" }, "writer", OdSim.WriterKey)).AssertError(401, "Access Denied");
    }

    // ------------------------------------------------------------------ host switches: scale, faults, counting

    [Fact]
    public async Task Scale_50000Devices_StreamedAsOneChunkedList()
    {
        await using var sim = await OdSim.StartAsync(o => o.Devices = 50_000);
        Assert.Equal(50_000, sim.Host.OpenDcim!.DeviceCount);
        using var req = new HttpRequestMessage(HttpMethod.Get, "device");
        req.Headers.TryAddWithoutValidation("UserID", "dcadmin");
        req.Headers.TryAddWithoutValidation("APIKey", OdSim.AdminKey);
        using var resp = await sim.Http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, resp.StatusCode);
        Assert.Null(resp.Content.Headers.ContentLength);
        Assert.True(resp.Headers.TransferEncodingChunked);
        await using var stream = await resp.Content.ReadAsStreamAsync();
        using var doc = await JsonDocument.ParseAsync(stream);
        var devices = doc.RootElement.GetProperty("device");
        Assert.Equal(50_000, devices.GetArrayLength());
        Assert.Single((await sim.GetAsync("device?Label=SRV-G049999")).List("device"));
    }

    [Fact]
    public async Task Devices_SwitchTrimsTheSeededSet()
    {
        await using var sim = await OdSim.StartAsync(o => o.Devices = 5);
        Assert.Equal(5, (await sim.GetAsync("device")).List("device").Length);
    }

    [Fact]
    public async Task InjectedFaults_AnsweredAsSlimAndApacheWould_AndRequestsCounted()
    {
        await using var sim = await OdSim.StartAsync();
        sim.Host.State.Faults.Add(new FaultRule { Kind = FaultKind.Status500, PathContains = "/device" });
        var e500 = await sim.GetAsync("device", acceptJson: true);
        Assert.Equal((500, "text/html"), (e500.Status, e500.ContentType));
        Assert.Contains("Slim Application Error", e500.Body);
        sim.Host.State.Faults.Add(new FaultRule { Kind = FaultKind.Suspended503, PathContains = "/device" });
        var e503 = await sim.GetAsync("device");
        Assert.Equal((503, "text/html"), (e503.Status, e503.ContentType));
        Assert.Contains("<title>503 Service Unavailable</title>", e503.Body);
        Assert.Contains("Apache", e503.Body);
        (await sim.GetAsync("device")).AssertEnvelope(200, error: false);
        Assert.Equal(3, sim.Host.State.RequestCount);
    }

    [Fact]
    public async Task ControlEndpoint_InjectsFaultsIntoTheOpenDcimMode_WithoutAuthOrCounting()
    {
        await using var sim = await OdSim.StartAsync(o => o.EnableControl = true);
        using var add = await sim.Http.PostAsync(new Uri(sim.Host.BaseAddress, "_sim/faults"),
            new StringContent("{\"kind\":\"Suspended503\",\"path_contains\":\"/api/v1/cabinet\",\"count\":2}", Encoding.UTF8, "application/json"));
        Assert.True(add.IsSuccessStatusCode);
        Assert.Equal(503, (await sim.GetAsync("cabinet")).Status);
        Assert.Equal(503, (await sim.GetAsync("cabinet")).Status);
        (await sim.GetAsync("cabinet")).AssertEnvelope(200, error: false);
        (await sim.GetAsync("device")).AssertEnvelope(200, error: false);
        Assert.Equal(4, sim.Host.State.RequestCount);
    }

    [Fact]
    public void CommandLine_DevicesAndAuthMode()
    {
        var o = SimulatorCommandLine.Parse(new[] { "--platform", "opendcim", "--devices", "50000", "--opendcim-auth", "basic" });
        Assert.Equal((SimulatedPlatform.OpenDcim, 50000, OpenDcimAuthMode.Basic), (o.Platform, o.Devices, o.OpenDcimAuth));
        Assert.Equal(OpenDcimAuthMode.ApiKey, SimulatorCommandLine.Parse(new[] { "--opendcim-auth=apikey" }).OpenDcimAuth);
        Assert.Equal(OpenDcimAuthMode.Both, new SimulatorOptions().OpenDcimAuth);
        Assert.Null(new SimulatorOptions().Devices);
        Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(new[] { "--opendcim-auth", "ldap" }));
    }

    [Fact]
    public async Task Program_PrintsBannerWithAccountsKeysAndHowToConnect()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "DciManager.Simulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--platform", "opendcim", "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
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
        var text = string.Join("\n", lines);
        Assert.Matches(@"openDCIM 23\.04 simulator listening on http://127\.0\.0\.1:\d+/api/v1", text);
        foreach (var a in DciManager.Simulator.OpenDcim.OpenDcimSimulation.Accounts)
        {
            Assert.Contains(a.UserId, text);
            if (a.ApiKey.Length > 0) Assert.Contains(a.ApiKey, text);
            if (a.BasicPassword is not null) Assert.Contains(a.BasicPassword, text);
        }
        Assert.Contains("Connect-Dci -Platform OpenDcim", text);
        Assert.Contains("-UserId dcadmin", text);
        Assert.Contains("-Credential", text);
    }
}
