namespace DciManager.Simulator;

/// <summary>
/// The one place that lists every simulator behaviour that is inferred or decided rather than documented
/// by ISPsystem for DCImanager 6. Sources: /work/shared/reference/dcimanager6-api.md (tags [C]/[S]/[I]/[?])
/// and /work/shared/reference/dcimanager6-contract.md (entries marked "decided").
/// Code elsewhere refers to these constants; anything not listed here follows a confirmed [C] or seed [S] fact.
/// </summary>
public static class Inferred
{
    // ---- Error envelope codes (contract, decided). Only 3001 (auth failure) is documented [S]. ----
    public const int CodeValidation = 4000;        // HTTP 400, value {"field": "..."}; also malformed where/orderby/limit (field "where"/"orderby"/"limit")
    public const int CodeUnauthorized = 3001;      // HTTP 401 [S]: no/unknown/expired/revoked token, wrong e-mail or password, unknown/used/expired key
    public const int CodeForbidden = 3002;         // HTTP 403: a non-admin calling an admin function
    public const int CodeNotFound = 4004;          // HTTP 404: unknown path or object id (also a server a non-admin does not own)
    public const int CodeMethodNotAllowed = 4005;  // HTTP 405: any method other than GET/POST/DELETE, or a method the path does not take
    public const int CodeConflict = 4009;          // HTTP 409: owned/free server, e-mail exists, address taken, pool exhausted, operation running
    public const int CodeSuspended = 5003;         // HTTP 503: platform asleep (the seed's 503 behaviour; the code is decided)
    public const int CodeInternal = 5000;          // HTTP 500: only produced by the Status500 fault (decided)

    // ---- Enums (contract, decided) ----
    public static readonly string[] ServerStates = { "active", "suspending", "suspended", "resuming" };
    public static readonly string[] PowerStatuses = { "on", "off", "unknown" };
    public static readonly string[] TaskStatuses = { "created", "running", "complete", "fail" };
    public static readonly string[] IpStatuses = { "allocating", "active", "deleting" };
    public static readonly string[] ClearHddModes = { "none", "fast", "full" };
    public static readonly string[] HddRaidModes = { "none", "raid0", "raid1", "raid5", "raid10" };
    /// <summary>POST user "role": the documented example is a placeholder; we accept these and store "@user"/"@admin".</summary>
    public static readonly string[] UserRoles = { "@user", "@admin", "user", "admin" };

    // ---- Task names (decided). Actions use their URL names; IP add/remove are named here. ----
    public const string TaskIpAdd = "ip_add";
    public const string TaskIpRemove = "ip_remove";

    // Address allocation and removal are IPmanager tasks: they run beside the server's own operation
    // (power, OS install, diagnostics), neither refuse nor are refused by it, and do not show in
    // server.operation; they are listed in dci/v3/task. (Decided; lets a runbook add an address and
    // start an OS install without waiting in between.)
    public const bool IpTasksRunBesideOperations = true;

    public static bool IsIpTask(string operation) => operation is TaskIpAdd or TaskIpRemove;

    // ---- Paths that are not publicly documented (decided; see api.md §5 "[?] suggested emulator paths") ----
    public const string TaskListPath = "dci/v3/task";             // GET list and GET task/{id}; rows {id, consul_id, name, server_id, status, created_at, finished_at, status_info}
    public const string OsTemplatePath = "dci/v3/os_template";    // GET list {id, name, tags} and GET os_template/{id}
    public const string LocationPath = "dci/v3/location";         // GET list {id, name} and GET location/{id}
    public const string IpGetOnePaths = "ip/v3/ipnet/{id}, ip/v3/ippool/{id}";
    // Also served (decided): GET dci/v3/user/{id}, GET auth/v4/user (same rows as dci/v3/user), GET ip/v3/ip (same rows as dci/v3/ip),
    // GET auth/v4/setting/token_ttl → {"value": "<minutes>"}; server/{id}/ip/{ip_id} removes with POST (seed) and DELETE.

    // ---- Operation durations when SimulatorOptions.OperationDuration is null (decided; only "diag is force-finished after 60 min" is documented) ----
    public static readonly TimeSpan PowerDuration = TimeSpan.FromSeconds(3);        // power_on / power_off / power_reset
    public static readonly TimeSpan SuspendResumeDuration = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan IpDuration = TimeSpan.FromSeconds(2);           // ip_add / ip_remove
    public static readonly TimeSpan ClearHddFastDuration = TimeSpan.FromSeconds(15); // operation_clear_hdd none|fast
    public static readonly TimeSpan ClearHddFullDuration = TimeSpan.FromSeconds(30); // operation_clear_hdd full
    public static readonly TimeSpan DiagDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan OsInstallDuration = TimeSpan.FromSeconds(30);
    /// <summary>A task stays "created" for this fraction of its duration (capped at 1 s), then "running" until it ends.</summary>
    public const double CreatedFraction = 0.1;
    public static readonly TimeSpan CreatedCap = TimeSpan.FromSeconds(1);

    // ---- Auth (decided) ----
    /// <summary>token_ttl "value" is in minutes (unit undocumented), allowed 1..600000 (VMmanager: 1 minute .. 10000 hours).</summary>
    public const int TokenTtlMinMinutes = 1, TokenTtlMaxMinutes = 600000;
    /// <summary>Tokens are "&lt;user id&gt;-&lt;uuid&gt;" (the docs' examples show both this and 24 hex chars).</summary>
    public const string TokenFormat = "<user id>-<uuid>";
    /// <summary>One-time keys live one hour [C]; single use is decided.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(1);
    /// <summary>whoami shape {id:int, email, roles, state} is decided. Login answers 201 [C-VM]; user create/owner/delete answer 200 (decided).</summary>
    public const int UserCreateStatus = 200;
    /// <summary>POST auth/v4/token answers 201 {id:"&lt;token id&gt;", token, expires_at, description}; expires_at is UTC "yyyy-MM-dd HH:mm:ss".</summary>
    public const string ExpiresAtFormat = "yyyy-MM-dd HH:mm:ss";
    /// <summary>Long-lived tokens are not idle-limited; RevokeAllTokens revokes them too.</summary>
    public const bool LongLivedTokensIgnoreIdle = true;

    // ---- where / orderby / limit (decided beyond EQ, NE, CP, IS null, AND, OR, NOT, parentheses, quoted/bare literals [C]) ----
    /// <summary>GT, LT, GE, LE are inferred: numeric when both sides are numbers (a quoted number counts), else ordinal string comparison; null never matches.</summary>
    public static readonly string[] InferredOperators = { "GT", "LT", "GE", "LE" };
    /// <summary>Inside single quotes a backslash escapes the next character (\' quote, \\ backslash, \% literal percent in CP).</summary>
    public const char EscapeChar = '\\';
    /// <summary>CP is SQL LIKE with only '%' as wildcard (any run, also empty); '_' is literal; matching is case-insensitive (ordinal ignore-case).</summary>
    public const bool CpCaseInsensitive = true;
    /// <summary>EQ on strings is exact (case-sensitive); numbers compare numerically; booleans accept true/false and 'true'/'false'. NE is NOT EQ (so null NE 'x' is true).</summary>
    public const bool NeIsNegatedEq = true;
    /// <summary>A field that is an array (roles, ip, ip.name, switch_connection.admin_status...) matches when any element matches; an empty array counts as null.</summary>
    public const bool ArraysMatchAny = true;
    /// <summary>Malformed expressions → 400 4000 with value {"field":"where"}; positions in messages are 1-based character positions.</summary>
    public const bool PositionsAreOneBased = true;
    /// <summary>orderby accepts several comma-separated keys; direction defaults to asc; nulls sort first in asc.</summary>
    public const bool OrderByMultipleKeys = true;
    /// <summary>No limit → every match is returned.</summary>
    public const bool NoDefaultPageSize = true;

    // ---- Objects (decided) ----
    /// <summary>IP rows also carry server_id, ipnet (network id) and ippool (pool id, or null) to help clients.</summary>
    public const bool IpRowsHaveServerIdNetworkAndPool = true;
    /// <summary>Server rows also carry "owner" (user id or null). pdu_connection's cut-off "power…" field is "power_status".</summary>
    public const bool ServerHasOwnerId = true;
    /// <summary>Network total_ip = usable hosts (IPv4: size-2, IPv6: size-1); pool total_ip = addresses in its ranges. Counters are strings [S].</summary>
    public const bool CountersAreStrings = true;

    // ---- Inventory (decided unless marked [C]) ----
    // Confirmed [C]: GET dci/v3/rack rows carry name and device_count (where name CP, orderby device_count desc, limit);
    // GET dci/v3/switch/{id}/port rows carry id, description ("GigabitEthernet1/0/12") and server ({name} or null);
    // GET dci/v3/warehouse/{switch|pdu|ups|chassis} and warehouse/spare_part answer lists ordered by warehouse_status;
    // server rows carry location_id, rack {name}, unit, switch_connection[] {id, switch, switch_name, connection_id, description,
    // admin_status, oper_status, do_not_collect_traffic, is_ipmi_connection} and pdu_connection {port_id, port_identity, pdu_id, pdu_name, connection_id}.
    // Decided:
    //  - Paths dci/v3/rack/{id}, dci/v3/switch (+/{id}, GET/POST /{id}/port/{port_id}), dci/v3/pdu (+/{id}, /{id}/port);
    //    all inventory reads and port edits are admin only (403 3002); dci/v3/location stays readable by every user.
    //  - location {id, name}; rack {id, name, location_id, location {id, name}, units, device_count, free_units}; server rows also carry location {id, name}.
    //  - switch {id, name, model, ip, purpose "data"|"ipmi", rack {id, name}, location_id, port_count};
    //    port {id, switch_id, switch_name, number, description, admin_status, oper_status, speed (Mbit/s), server {id, name}|null, connection_id|null, is_ipmi_connection}.
    //  - pdu {id, name, model, ip, rack {id, name}, location_id, port_count}; pdu port {id, pdu_id, pdu_name, number, identity "outlet-N", power_status, server|null, connection_id|null}.
    //  - warehouse rows {id, name, model, serial_number, warehouse_status, location_id, location {id, name}} (+ part_type for spare_part); never in a rack.
    //  - server switch_connection[].id is the port id, .switch the switch id; pdu_connection.port_id is the PDU port id.
    //  - Turning a port off/on: POST dci/v3/switch/{id}/port/{port_id} {"admin_status": "down"|"up"} applies at once (no task) and answers the port row;
    //    oper_status follows (up only when enabled and cabled); the server's switch_connection shows the same port state. Suspend/resume set the same ports.
    //  - Every server sits at the next free unit of a rack of its location; each rack has a data switch (port n = unit n), an IPMI switch and a PDU.
    //  - Racks: max(MinRacks, ceil(servers / ServersPerRack)), alternating between locations, named Rack0001...; a full location gets another rack.
    public const int RackUnits = 42, ServersPerRack = 25, MinRacks = 4, SwitchPorts = 48, PduOutlets = 48, PortSpeedMbps = 1000;
    public static readonly string[] WarehouseTypes = { "switch", "pdu", "ups", "chassis", "spare_part" };
    public static readonly string[] WarehouseStatuses = { "in_stock", "reserved", "in_repair", "written_off" };

    // ---- Permissions and refusals (decided) ----
    // Admin only (403 3002): user list/create/delete, owner set/release, dci and auth settings, token_ttl, user keys,
    // operation_diag, operation_clear_hdd, suspend, resume.
    // A non-admin sees only servers he owns (lists filtered; others answer 404), their IPs and tasks; he may power,
    // install an OS and add/remove IPs on them. Networks, pools, OS templates, locations and server/configuration are readable by all.
    // Refusals: owning an owned server 409; releasing a free server 409; unknown owner user 404 with value {"field":"owner"};
    // unknown ip_pool/ip_net 404 with value {"field":"ip_pool"|"ip_net"}; unknown ipmi_pool 404 {"field":"ipmi_pool"};
    // unknown OS template 400 field os_template_id; invalid/outside/reserved address 400 field ip_name; taken address 409 field ip_name;
    // exhausted pool 409 field ip_pool; suspending a suspended server / resuming an active one 409; an action while another task of the
    // same server is created/running 409; removing an IP that is not "active" 409; deleting yourself or a user who owns servers 409;
    // existing e-mail 409 field email; bad e-mail 400 field email.
    // Failed tasks ("fail") leave the server as it was: suspend/resume revert the state, a failed ip_add releases its address,
    // a failed ip_remove sets the address back to "active". status_info is {"msg": "..."}.

    // ---- Faults (simulator only) ----
    // Html502: nginx-like HTML page, not executed. Status500: 500 envelope code 5000, not executed. Suspended503: 503 code 5003,
    // not executed. NonJsonBody: StatusCode (default 200) with a text/plain body, not executed. Latency: waits Delay then serves.
    // Stall: waits Delay (default 10 minutes) honouring RequestAborted, then serves. Reset*: HttpContext.Abort() before/after the
    // endpoint. TruncatedJson: first half of the body; MalformedJson: "@@garbage@@" injected after the first byte;
    // WrongContentType: Content-Type text/html. /_sim/* requests are never counted, delayed, faulted or suspended.
    public static readonly TimeSpan DefaultStall = TimeSpan.FromMinutes(10);

    // ---- Suspension ----
    // While asleep every request answers 503/5003 and is not executed; the first request starts waking and after WakeUpTime the
    // platform serves again. Requests answered 503 also count as activity. Tasks keep running (time-based) while asleep.
}
