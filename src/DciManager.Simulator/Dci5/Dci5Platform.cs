using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace DciManager.Simulator.Dci5;

/// <summary>
/// The DCImanager 5 mode: COREmanager 5's func= RPC on /dcimgr (and /manager/dcimgr), GET query and POST form,
/// every application answer a doc in an HTTP 200 (reference other-seed-apis.md section 1).
/// </summary>
internal sealed class Dci5Platform : ISimulatedPlatform
{
    private static readonly string[] Paths = { "/dcimgr", "/manager/dcimgr" };
    private readonly Dci5State _state;
    private readonly Dci5Functions _functions;
    private readonly Dci5Control _control;

    public Dci5Platform(SimulatorState shared)
    {
        _state = new Dci5State(shared);
        _functions = new Dci5Functions(_state);
        _control = new Dci5Control(_state);
        shared.Dci5 = _control;
    }

    public static bool IsApiPath(string path)
    {
        var p = path.Length > 1 ? path.TrimEnd('/') : path;
        return Array.IndexOf(Paths, p) >= 0;
    }

    public async Task ProcessAsync(HttpContext ctx, string path)
    {
        if (!IsApiPath(path))
        {
            await SimulatorHost.WriteText(ctx, 404, "text/plain; charset=utf-8", $"Not found: {path}\n");
            return;
        }
        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.Headers.Allow = "GET, POST";
            await SimulatorHost.WriteText(ctx, 405, "text/plain; charset=utf-8", "Method not allowed\n");
            return;
        }
        var parameters = await ReadParametersAsync(ctx);
        if (parameters is null)
        {
            await SimulatorHost.WriteText(ctx, 413, "text/plain; charset=utf-8", $"Request body larger than {Dci5Inferred.MaxBodyBytes} bytes\n");
            return;
        }
        var func = parameters.TryGetValue("func", out var f) ? f : "";
        var mode = OutMode(parameters);
        Node doc;
        try
        {
            doc = Answer(ctx, parameters, func);
        }
        catch (D5Error e)
        {
            doc = ErrorDoc(e.Type, e.Object, e.Message);
        }
        await WriteDocAsync(ctx, 200, doc, func, mode, parameters.GetValueOrDefault("lang"));
    }

    public IEnumerable<string> Banner(SimulatorHost host, SimulatorOptions options)
    {
        var url = host.BaseAddress.ToString().TrimEnd('/');
        yield return $"DCImanager 5 simulator listening on {url}/dcimgr (also {url}/manager/dcimgr)";
        yield return $"Admin: {Dci5Inferred.AdminName}";
        yield return $"Password: {host.AdminPassword}";
        yield return $"Users: user01 .. user08, password {options.UserPassword}";
        yield return $"Servers: {host.State.Dci5!.ServerCount}; control endpoints: {(options.EnableControl ? "enabled (/_sim/*)" : "disabled")}";
        yield return $"Session: {url}/dcimgr?func=auth&username={Dci5Inferred.AdminName}&password=<password>&out=json, then auth=<doc.auth.$id>; or authinfo=<user>:<password> on every call";
        yield return $"Connect-Dci -Platform DCImanager5 -Uri {url} -Credential (Get-Credential {Dci5Inferred.AdminName}){(options.Https ? " -SkipCertificateCheck" : "")}";
    }

    public async Task WriteFaultAsync(HttpContext ctx, int status, string message)
    {
        // out= may be in the form body (a POSTing client); an oversized body falls back to the query.
        var p = (HttpMethods.IsPost(ctx.Request.Method) ? await ReadParametersAsync(ctx) : null)
            ?? ctx.Request.Query.ToDictionary(x => x.Key, x => x.Value.ToString(), StringComparer.Ordinal);
        await WriteDocAsync(ctx, status, ErrorDoc(Dci5Inferred.TypeFault, "", message), p.GetValueOrDefault("func") ?? "", OutMode(p));
    }

    private Node Answer(HttpContext ctx, Dictionary<string, string> p, string func)
    {
        var clientIp = ctx.Connection.RemoteIpAddress?.ToString();
        if (func == "auth" && !p.ContainsKey("auth") && !p.ContainsKey("authinfo"))
            return Login(p, clientIp);
        var user = Authenticate(p, clientIp);
        if (p.TryGetValue("su", out var su) && su.Length > 0)
        {
            if (!user.IsAdmin) throw D5Error.Access();
            lock (_state.Sync) user = _state.FindUser(su) ?? throw D5Error.Value("su", $"The user '{su}' does not exist");
        }
        if (func.Length == 0)
            throw new D5Error("missed", Dci5Inferred.UnknownFuncObject, "No function given");
        if (func == "auth")
            return new Node("doc").Child(new Node("auth", p.GetValueOrDefault("auth") ?? "").Attr("id", p.GetValueOrDefault("auth") ?? "").Attr("level", user.Level.ToString()));
        var request = new D5Request { P = p, Func = func, User = user, Host = ctx.Request.Host.Value ?? "127.0.0.1" };
        return _functions.Execute(request);
    }

    private Node Login(Dictionary<string, string> p, string? clientIp)
    {
        var name = p.GetValueOrDefault("username") ?? "";
        lock (_state.Sync)
        {
            var user = _state.FindUser(name);
            if (p.TryGetValue("key", out var key) && key.Length > 0)
            {
                // One-time keys are removed on first use, successful or not for this user.
                if (!_state.Keys.TryGetValue(key, out var entry) || user is null || entry.UserId != user.Id || entry.Expires < _state.Now)
                    throw new D5Error(Dci5Inferred.TypeAuth, "", "Invalid or used login key");
                _state.Keys.Remove(key);
            }
            else if (user is null || !p.TryGetValue("password", out var password) || password != user.Password)
            {
                throw new D5Error(Dci5Inferred.TypeAuth, "", "Invalid username or password");
            }
            var session = _state.OpenSession(user, clientIp);
            return new Node("doc").Child(new Node("auth", session.Id).Attr("id", session.Id).Attr("level", user.Level.ToString()));
        }
    }

    private D5User Authenticate(Dictionary<string, string> p, string? clientIp)
    {
        lock (_state.Sync)
        {
            var now = _state.Now;
            if (p.TryGetValue("auth", out var id) && id.Length > 0)
            {
                if (_state.Sessions.TryGetValue(id, out var s))
                {
                    if (_state.Alive(s, now) && (!Dci5Inferred.SessionBoundToIp || s.ClientIp == clientIp) && _state.FindUser(s.UserId) is { } su)
                    {
                        s.LastUsed = now;
                        return su;
                    }
                    if (!_state.Alive(s, now)) _state.Sessions.Remove(id);
                }
                throw new D5Error(Dci5Inferred.TypeAuth, "", "The session has expired or is not valid; log in again");
            }
            if (p.TryGetValue("authinfo", out var info) && info.Length > 0)
            {
                int colon = info.IndexOf(':');
                var name = colon < 0 ? info : info[..colon];
                var password = colon < 0 ? "" : info[(colon + 1)..];
                if (_state.FindUser(name) is { } u && u.Password == password) return u;
                throw new D5Error(Dci5Inferred.TypeAuth, "", "Invalid username or password");
            }
            throw new D5Error(Dci5Inferred.TypeAuth, "", "Authorization required");
        }
    }

    private static Node ErrorDoc(string type, string obj, string msg) =>
        new Node("doc").Child(new Node("error").Attr("type", type).Attr("object", obj).Attr("lang", Dci5Inferred.DocLang).Child(new Node("msg", msg)));

    private static string OutMode(Dictionary<string, string> p) =>
        p.TryGetValue("out", out var o) && o is "json" or "sjson" or "JSONdata" or "xml" ? o : Dci5Inferred.DefaultOut;

    private async Task WriteDocAsync(HttpContext ctx, int status, Node doc, string func, string mode, string? lang = null)
    {
        doc.Attrs = null;
        doc.Attr("lang", string.IsNullOrEmpty(lang) ? Dci5Inferred.DocLang : lang).Attr("func", func).Attr("binary", "/dcimgr");
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = Dci5Render.ContentType(mode);
        await Dci5Render.WriteAsync(ctx.Response.BodyWriter, doc, mode, _control.SingleRowAsObject, ctx.RequestAborted);
    }

    /// <summary>Query and form parameters merged (the form wins); null when the body is over the bound.</summary>
    private static async Task<Dictionary<string, string>?> ReadParametersAsync(HttpContext ctx)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in ctx.Request.Query) p[k] = v.Count > 0 ? v[^1] ?? "" : "";
        if (!HttpMethods.IsPost(ctx.Request.Method)) return p;
        if (ctx.Request.ContentLength > Dci5Inferred.MaxBodyBytes) return null;
        using var ms = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            if (ms.Length + read > Dci5Inferred.MaxBodyBytes) return null;
            ms.Write(buffer, 0, read);
        }
        var text = System.Text.Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
        foreach (var (k, v) in QueryHelpers.ParseQuery(text)) p[k] = v.Count > 0 ? v[^1] ?? "" : "";
        return p;
    }
}
