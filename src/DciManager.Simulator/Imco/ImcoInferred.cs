namespace DciManager.Simulator.Imco;

/// <summary>
/// The one place that lists every IMCO-mode behaviour that is inferred or decided rather than documented.
/// Source: /work/shared/reference/other-seed-apis.md section 3 (marks [C] confirmed, [I] inferred, [S] seed claim).
/// Confirmed [C] and followed without a mark elsewhere: mutual TLS only; paths under /v2 and /v3 (v3 only: realms,
/// server_plans?realm_id=, cloud_accounts/{id}/policy_assignments); bare JSON arrays and objects, no envelope, no paging;
/// snake_case keys and the object shapes of section 3.5/3.6; 24-hex ids; success is any status below 300; error bodies
/// {"errors":{"field":["msg"]}} or {"error":"msg"} or raw text; action calls (PUT boot/reboot/shutdown/override) return
/// the server at once and the state changes later; create → commissioning; boot → booting → bootstrapping → operational;
/// override takes stalled → operational; decommission (DELETE) only from inactive, stalled or commission_stalled.
/// </summary>
public static class ImcoInferred
{
    // ---- TLS ----
    // A client without a certificate, with one not chaining to the simulator's CA, or an expired one, is refused in the TLS
    // handshake (Kestrel RequireCertificate + per-endpoint validation); no HTTP response (401/403) is ever produced for it.
    // The API key zip holds ca_cert.pem, cert.crt and private/cert.key at its root; cert.key is PKCS#1 "RSA PRIVATE KEY" PEM.

    // ---- Requests (decided) ----
    // Content-Type and Accept are not checked; a POST/PUT body must be empty or a JSON object (else 400 {"error"}); bodies of
    // action PUTs and of DELETEs are ignored. No query parameter filters a list (IMCO has none; label filtering is client-side),
    // except v3 server_plans?realm_id=. --suspend-after (the DCImanager 6 sleep) does not apply to this mode.

    // ---- Ledger (simulator only) ----
    // Every executed change is one SimulatorState.Ledger entry: Operation = commission, boot, reboot, shutdown, override,
    // decommission, rename, ssh_profile_create, ssh_profile_update, ssh_profile_delete, volume_create, volume_delete,
    // volume_attach, volume_detach, floating_ip_attach, floating_ip_detach; Detail = the 24-hex id of the object acted on;
    // ServerId = the server's 1-based creation index (0 for objects that are not servers); TaskId = a sequence number.
    // Refused requests (422, 404, injected faults) are not in the ledger.

    // ---- Status codes (clients must accept any 2xx) ----
    public const int CreatedStatus = 201;        // POST that creates (commission, ssh profile, volume)
    public const int OkStatus = 200;             // GET, PUT actions/updates, POST attach
    public const int DeletedStatus = 204;        // every DELETE (decommission, ssh profile, volume, detach): empty body
    public const int ValidationStatus = 422;     // {"errors":{field:[msg...]}}: missing/unknown references, wrong state for an action
    public const int NotFoundStatus = 404;       // unknown or malformed id: {"error":"<Kind> not found"}
    public const int BadBodyStatus = 400;        // body that is not a JSON object: {"error":"..."}
    // An unknown path (or a method a path does not take) answers 404 with the raw text "Not Found" (text/plain),
    // like a web framework's router would; so a client meets all three documented error body forms.
    public const string UnknownPathText = "Not Found";
    // Injected 503/500 faults answer {"error":"<message>"}.

    // ---- Messages (Rails-style) ----
    public const string Blank = "can't be blank";
    public const string Missing = "does not exist";
    public const string Taken = "has already been taken";

    // ---- ping ----
    // GET /vN/ping answers 200 {"status":"ok","api_version":"vN"} (the body is not documented; only the path is).

    // ---- State machine (timing and intermediate steps decided) ----
    /// <summary>Each step of a transition lasts this long unless --operation-ms sets it.</summary>
    public static readonly TimeSpan StepDuration = TimeSpan.FromSeconds(2);
    // commission: commissioning (1 step) → inactive, or commission_stalled when it fails.
    // boot (from inactive): booting (1 step) → bootstrapping (1 step) → operational, or stalled when it fails.
    // reboot (from operational): booting → bootstrapping → operational (same steps as boot), or stalled.
    // shutdown (from operational or stalled): shutting_down (1 step) → inactive, or stalled when it fails.
    // override (from stalled): operational at once.
    // decommission (DELETE, from inactive/stalled/commission_stalled): decommissioning (1 step) → gone (404);
    //   floating IPs and volumes attached to it are detached.
    // The response of an action shows the first new state (booting, shutting_down, commissioning, decommissioning).
    // An action from any other state answers 422 {"errors":{"state":["..."]}}.
    public static readonly string[] BootFrom = { "inactive" };
    public static readonly string[] RebootFrom = { "operational" };
    public static readonly string[] ShutdownFrom = { "operational", "stalled" };
    public static readonly string[] OverrideFrom = { "stalled" };
    public static readonly string[] DecommissionFrom = { "inactive", "stalled", "commission_stalled" };
    /// <summary>A server whose name contains this (case-insensitive) ends every commission/boot/reboot/shutdown stalled.</summary>
    public const string StallMarker = "stall";
    // /_sim/fail-operations {"operation": "commission"|"boot"|"reboot"|"shutdown", "count": n} makes the next n such
    // operations end stalled (commission_stalled for commission), for any server.
    // public_ip/private_ip are null until a server first reaches operational, then kept.
    // Every state change adds an event to the server's events (level "info", or "error" for a stall); every API change
    // (commission, actions, decommission, ssh profile/volume create/delete, attach/detach, rename) adds an audit event.

    // ---- Seed (decided) ----
    // All seeded servers are operational (names web-001, db-002, app-003, cache-004, ...), spread over the cloud accounts.
    // Three cloud providers (AWS, Microsoft Azure, Google Cloud), two realms each, three server plans and one storage plan per realm,
    // one cloud account per provider, five templates, two ssh profiles, two firewall profiles (one default), two VPCs with
    // two subnets each, 12 floating IPs and 12 volumes (all detached).
    public const int FloatingIpCount = 12, VolumeCount = 12;

    // ---- Validation (decided) ----
    // commission: name, template_id, server_plan_id, cloud_account_id required; firewall_profile_id optional (the default
    //   profile), ssh_profile_id or ssh_profile_ids optional, subnet_id optional (sets vpc_id), label_ids accepted as given;
    //   the server plan must belong to the cloud account's provider (error on server_plan_id).
    // ssh profile: name (unique) and public_key (OpenSSH "ssh-..."/"ecdsa-..." text) required; in use by a server → 422 on "base".
    // volume: name, size (integer within the storage plan's min_size..max_size), cloud_account_id, storage_plan_id
    //   (same provider) required; created "detached"; deleted only when detached (422 on "state").
    // attach (POST .../attached_server {"attached_server_id"}) and detach (DELETE .../attached_server) apply at once
    //   (state "attached"/"detached"; volumes get device "/dev/xvdf"); attaching an attached one or detaching a detached one → 422.
    //   The cloud account of the IP/volume and the server is not compared.
}
