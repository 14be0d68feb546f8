using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DciManager.Simulator;

/// <summary>/_sim/* control endpoints (only with SimulatorOptions.EnableControl). Never counted, delayed, faulted or suspended.</summary>
internal static class Control
{
    public static async Task HandleAsync(HttpContext ctx, SimulatorState state, string path)
    {
        var method = ctx.Request.Method;
        var name = path.TrimEnd('/');
        try
        {
            JsonElement body = default;
            if (HttpMethods.IsPost(method))
            {
                using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
                body = doc.RootElement.Clone();
            }
            switch (method, name)
            {
                case ("POST", "/_sim/faults"):
                    state.Faults.Add(ParseRule(body));
                    await Ok(ctx);
                    return;
                case ("DELETE", "/_sim/faults"):
                    state.Faults.Clear();
                    await Ok(ctx);
                    return;
                case ("GET", "/_sim/faults"):
                    await SimulatorHost.WriteJson(ctx, 200, Json.Build(w =>
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("list");
                        foreach (var r in state.Faults.Rules)
                        {
                            w.WriteStartObject();
                            w.WriteString("kind", r.Kind.ToString());
                            w.WriteString("method", r.Method);
                            w.WriteString("path_contains", r.PathContains);
                            w.WriteNumber("count", r.Count);
                            w.WriteNumber("delay_ms", (long)r.Delay.TotalMilliseconds);
                            w.WriteNumber("status_code", r.StatusCode);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }));
                    return;
                case ("POST", "/_sim/revoke-tokens"):
                    state.RevokeAllTokens();
                    await Ok(ctx);
                    return;
                case ("POST", "/_sim/suspend"):
                    state.SuspendNow();
                    await Ok(ctx);
                    return;
                case ("POST", "/_sim/fail-operations"):
                {
                    int count = GetInt(body, "count") ?? 1;
                    string? op = GetString(body, "operation");
                    state.FailNextOperations(count, op);
                    await Ok(ctx);
                    return;
                }
                case ("GET", "/_sim/ledger"):
                {
                    var ledger = state.Ledger;
                    await SimulatorHost.WriteJson(ctx, 200, Json.Build(w =>
                    {
                        w.WriteStartObject();
                        w.WriteStartArray("list");
                        foreach (var e in ledger)
                        {
                            w.WriteStartObject();
                            w.WriteNumber("task_id", e.TaskId);
                            w.WriteNumber("server_id", e.ServerId);
                            w.WriteString("operation", e.Operation);
                            w.WriteString("at", e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                            w.WriteString("detail", e.Detail);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                        w.WriteNumber("size", ledger.Count);
                        w.WriteEndObject();
                    }, 4096));
                    return;
                }
                case ("GET", "/_sim/stats"):
                {
                    int tasks, active, sessions;
                    lock (state.Sync)
                    {
                        state.Advance(state.Now);
                        tasks = state.Tasks.Count; active = state.ActiveTasks.Count; sessions = state.Sessions.Count;
                    }
                    var ledgerCount = state.Ledger.Count;
                    await SimulatorHost.WriteJson(ctx, 200, Json.Build(w =>
                    {
                        w.WriteStartObject();
                        w.WriteNumber("requests", state.RequestCount);
                        w.WriteNumber("connections", state.ConnectionCount);
                        w.WriteNumber("ledger", ledgerCount);
                        w.WriteNumber("tasks", tasks);
                        w.WriteNumber("active_tasks", active);
                        w.WriteNumber("sessions", sessions);
                        w.WriteNumber("servers", state.ServerCount);
                        w.WriteNumber("faults_fired", state.Faults.FiredCount);
                        w.WriteBoolean("suspended", state.IsSuspended);
                        w.WriteEndObject();
                    }));
                    return;
                }
                default:
                    await SimulatorHost.WriteError(ctx, 404, Inferred.CodeNotFound, $"Unknown control path {method} {path}", null);
                    return;
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException)
        {
            await SimulatorHost.WriteError(ctx, 400, Inferred.CodeValidation, e.Message, "body");
        }
    }

    private static Task Ok(HttpContext ctx) => SimulatorHost.WriteJson(ctx, 200, Json.Build(w => { w.WriteStartObject(); w.WriteEndObject(); }));

    private static string Norm(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static JsonElement Get(JsonElement body, params string[] names)
    {
        if (body.ValueKind != JsonValueKind.Object) return default;
        var wanted = names.Select(Norm).ToHashSet();
        foreach (var p in body.EnumerateObject()) if (wanted.Contains(Norm(p.Name))) return p.Value;
        return default;
    }

    private static string? GetString(JsonElement body, params string[] names)
    {
        var v = Get(body, names);
        return v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null;
    }

    private static int? GetInt(JsonElement body, params string[] names)
    {
        var v = Get(body, names);
        if (v.ValueKind == JsonValueKind.Number) return v.GetInt32();
        if (v.ValueKind == JsonValueKind.String) return int.Parse(v.GetString()!, CultureInfo.InvariantCulture);
        return null;
    }

    internal static FaultRule ParseRule(JsonElement body)
    {
        var rule = new FaultRule();
        var kind = Get(body, "kind");
        if (kind.ValueKind == JsonValueKind.Number) rule.Kind = (FaultKind)kind.GetInt32();
        else if (kind.ValueKind == JsonValueKind.String)
        {
            var k = Norm(kind.GetString()!);
            rule.Kind = Enum.GetValues<FaultKind>().FirstOrDefault(f => Norm(f.ToString()) == k, (FaultKind)(-1));
            if ((int)rule.Kind == -1) throw new ArgumentException($"Unknown fault kind '{kind.GetString()}'");
        }
        else throw new ArgumentException("kind is required");
        rule.Method = GetString(body, "method");
        rule.PathContains = GetString(body, "path_contains", "path");
        rule.Count = GetInt(body, "count") ?? 1;
        rule.StatusCode = GetInt(body, "status_code", "status") ?? 0;
        var ms = Get(body, "delay_ms");
        var delay = Get(body, "delay");
        if (ms.ValueKind == JsonValueKind.Number) rule.Delay = TimeSpan.FromMilliseconds(ms.GetDouble());
        else if (delay.ValueKind == JsonValueKind.Number) rule.Delay = TimeSpan.FromMilliseconds(delay.GetDouble());
        else if (delay.ValueKind == JsonValueKind.String) rule.Delay = TimeSpan.Parse(delay.GetString()!, CultureInfo.InvariantCulture);
        return rule;
    }
}
