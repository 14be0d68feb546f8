using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DciManager.Simulator.Imco;

/// <summary>
/// The IMCO mode: REST under /v2 and /v3 (mutual TLS is enforced by Kestrel before a request gets here),
/// bare JSON arrays and objects, errors as {"errors":{...}} (422), {"error":"..."} or raw text.
/// </summary>
internal sealed class ImcoPlatform : ISimulatedPlatform
{
    private const string JsonContentType = "application/json; charset=utf-8";
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private readonly ImcoStore _store;
    private readonly List<Route> _routes = new();

    private sealed record Route(string Method, string[] Pattern, bool V3Only, Func<ImcoStore.Request, ImcoStore.Reply> Handle);

    public ImcoPlatform(ImcoStore store)
    {
        _store = store;
        var s = store;
        Map("GET", "ping", s.Ping);

        Map("GET", "cloud/servers", s.ListServers);
        Map("POST", "cloud/servers", s.Commission);
        Map("GET", "cloud/servers/{id}", s.GetServer);
        Map("PUT", "cloud/servers/{id}", s.UpdateServer);
        Map("DELETE", "cloud/servers/{id}", s.Decommission);
        foreach (var action in new[] { "boot", "reboot", "shutdown", "override" })
            Map("PUT", "cloud/servers/{id}/" + action, r => s.ServerAction(r with { P = new[] { r.P[0], action } }));
        Map("GET", "cloud/servers/{id}/events", s.ServerEvents);
        Map("GET", "cloud/servers/{id}/floating_ips", s.ServerFloatingIps);
        Map("GET", "cloud/servers/{id}/volumes", s.ServerVolumes);

        Map("GET", "cloud/ssh_profiles", _ => s.List("ssh_profiles"));
        Map("POST", "cloud/ssh_profiles", s.CreateSshProfile);
        Map("GET", "cloud/ssh_profiles/{id}", r => s.GetOne("ssh_profiles", "SSH profile", r.P[0]));
        Map("PUT", "cloud/ssh_profiles/{id}", s.UpdateSshProfile);
        Map("DELETE", "cloud/ssh_profiles/{id}", s.DeleteSshProfile);

        Map("GET", "cloud/cloud_providers", _ => s.List("cloud_providers"));
        Map("GET", "cloud/cloud_providers/{id}/server_plans", s.ServerPlansOf);
        Map("GET", "cloud/cloud_providers/{id}/storage_plans", r => s.ChildrenOf(r, "cloud_providers", "Cloud provider", "storage_plans", "cloud_provider_id"));
        Map("GET", "cloud/cloud_providers/{id}/realms", r => s.ChildrenOf(r, "cloud_providers", "Cloud provider", "realms", "cloud_provider_id"), v3Only: true);
        Map("GET", "cloud/server_plans/{id}", r => s.GetOne("server_plans", "Server plan", r.P[0]));
        Map("GET", "cloud/realms/{id}", r => s.GetOne("realms", "Realm", r.P[0]), v3Only: true);
        Map("GET", "cloud/generic_images", _ => s.List("generic_images"));

        Map("GET", "blueprint/templates", _ => s.List("templates"));
        Map("GET", "blueprint/templates/{id}", r => s.GetOne("templates", "Template", r.P[0]));

        Map("GET", "settings/cloud_accounts", _ => s.List("cloud_accounts"));
        Map("GET", "settings/cloud_accounts/{id}", r => s.GetOne("cloud_accounts", "Cloud account", r.P[0]));
        Map("GET", "settings/cloud_accounts/{id}/policy_assignments", s.PolicyAssignments, v3Only: true);

        Map("GET", "network/firewall_profiles", _ => s.List("firewall_profiles"));
        Map("GET", "network/firewall_profiles/{id}", r => s.GetOne("firewall_profiles", "Firewall profile", r.P[0]));
        Map("GET", "network/vpcs", _ => s.List("vpcs"));
        Map("GET", "network/vpcs/{id}", r => s.GetOne("vpcs", "VPC", r.P[0]));
        Map("GET", "network/vpcs/{id}/subnets", r => s.ChildrenOf(r, "vpcs", "VPC", "subnets", "vpc_id"));
        Map("GET", "network/subnets/{id}", r => s.GetOne("subnets", "Subnet", r.P[0]));
        Map("GET", "network/floating_ips", _ => s.List("floating_ips"));
        Map("GET", "network/floating_ips/{id}", r => s.GetOne("floating_ips", "Floating IP", r.P[0]));
        Map("POST", "network/floating_ips/{id}/attached_server", r => s.Attach(r, "floating_ips", "Floating IP", "floating_ip"));
        Map("DELETE", "network/floating_ips/{id}/attached_server", r => s.Detach(r, "floating_ips", "Floating IP", "floating_ip"));

        Map("GET", "storage/volumes", _ => s.List("volumes"));
        Map("POST", "storage/volumes", s.CreateVolume);
        Map("GET", "storage/volumes/{id}", r => s.GetOne("volumes", "Volume", r.P[0]));
        Map("DELETE", "storage/volumes/{id}", s.DeleteVolume);
        Map("POST", "storage/volumes/{id}/attached_server", r => s.Attach(r, "volumes", "Volume", "volume"));
        Map("DELETE", "storage/volumes/{id}/attached_server", r => s.Detach(r, "volumes", "Volume", "volume"));
        Map("GET", "storage/plans/{id}", r => s.GetOne("storage_plans", "Storage plan", r.P[0]));

        Map("GET", "audit/events", s.AuditEvents);
        Map("GET", "audit/system_events", s.SystemEvents);
    }

    private void Map(string method, string pattern, Func<ImcoStore.Request, ImcoStore.Reply> handle, bool v3Only = false) =>
        _routes.Add(new Route(method, pattern.Split('/'), v3Only, handle));

    public async Task ProcessAsync(HttpContext ctx, string path)
    {
        try
        {
            var segments = path.Trim('/').Split('/');
            if (segments.Length < 2 || segments[0] is not ("v2" or "v3")) throw ImcoException.Text(404, ImcoInferred.UnknownPathText);
            var version = segments[0];
            var rest = segments.AsSpan(1);
            Route? route = null;
            var ps = new List<string>();
            foreach (var candidate in _routes)
            {
                if (candidate.Method != ctx.Request.Method || candidate.Pattern.Length != rest.Length || (candidate.V3Only && version != "v3")) continue;
                ps.Clear();
                bool match = true;
                for (int i = 0; i < rest.Length && match; i++)
                {
                    if (candidate.Pattern[i] == "{id}") ps.Add(Uri.UnescapeDataString(rest[i]));
                    else match = candidate.Pattern[i] == rest[i];
                }
                if (match) { route = candidate; break; }
            }
            if (route is null) throw ImcoException.Text(404, ImcoInferred.UnknownPathText);

            var body = EmptyObject;
            if (HttpMethods.IsPost(ctx.Request.Method) || HttpMethods.IsPut(ctx.Request.Method)) body = await ReadBodyAsync(ctx);

            ImcoStore.Reply reply;
            lock (_store.Sync)
            {
                var now = _store.Now;
                _store.Advance(now);
                reply = route.Handle(new ImcoStore.Request(ctx.Request.Method, version, ps.ToArray(), ctx.Request.Query, body, now));
            }
            ctx.Response.StatusCode = reply.Status;
            if (reply.Body is null) return;
            ctx.Response.ContentType = JsonContentType;
            ctx.Response.ContentLength = reply.Body.WrittenCount;
            await ctx.Response.Body.WriteAsync(reply.Body.WrittenMemory, ctx.RequestAborted);
        }
        catch (ImcoException e)
        {
            await WriteErrorAsync(ctx, e);
        }
    }

    public IEnumerable<string> Banner(SimulatorHost host, SimulatorOptions options) =>
        ImcoBanner.Lines(host, options.Servers).Append($"Control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}");

    public Task WriteFaultAsync(HttpContext ctx, int status, string message) => WriteErrorAsync(ctx, ImcoException.General(status, message));

    private static async Task<JsonElement> ReadBodyAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted);
        var bytes = ms.GetBuffer().AsMemory(0, (int)ms.Length);
        if (bytes.Span.Trim(" \t\r\n"u8).IsEmpty) return EmptyObject;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw ImcoException.General(ImcoInferred.BadBodyStatus, "The request body must be a JSON object");
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw ImcoException.General(ImcoInferred.BadBodyStatus, "The request body is not valid JSON: " + e.Message);
        }
    }

    private static async Task WriteErrorAsync(HttpContext ctx, ImcoException e)
    {
        ctx.Response.StatusCode = e.Status;
        byte[] bytes;
        if (e.Raw)
        {
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            bytes = Encoding.UTF8.GetBytes(e.Message);
        }
        else
        {
            ctx.Response.ContentType = JsonContentType;
            var buffer = Json.Build(w =>
            {
                w.WriteStartObject();
                if (e.Errors is { } errors)
                {
                    w.WriteStartObject("errors");
                    foreach (var (field, messages) in errors)
                    {
                        w.WriteStartArray(field);
                        foreach (var m in messages) w.WriteStringValue(m);
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                else w.WriteString("error", e.Message);
                w.WriteEndObject();
            });
            bytes = buffer.WrittenSpan.ToArray();
        }
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }
}
