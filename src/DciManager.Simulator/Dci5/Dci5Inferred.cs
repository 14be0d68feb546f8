namespace DciManager.Simulator.Dci5;

/// <summary>
/// The one place that lists every DCImanager 5 simulator behaviour that is inferred or decided rather than confirmed.
/// Source: /work/shared/reference/other-seed-apis.md section 1 (marks [C] confirmed, [I] inferred, [S] seed only).
/// Anything the DCImanager 5 mode does that is not listed here follows a [C] fact of that section:
/// paths /dcimgr and /manager/dcimgr, func routing over GET query and POST form (mixed, body wins), out=xml (default) and
/// out=json with "$" text and "$attr" attributes, HTTP 200 for every application error, the error object
/// type/object/msg, value/exists/missed types, func=auth sessions (doc.auth text and id attribute), authinfo,
/// session.newkey + single-use key login, one-hour idle sessions, flags present only when true, sok=ok submits,
/// elid/plid conventions, the catalogue functions and the fields of section 1.7.
/// </summary>
public static class Dci5Inferred
{
    // ---- Envelope ----
    /// <summary>JSON flag value: an empty object <c>{}</c> (the reference leaves {} vs {"$":""} open).</summary>
    public const string FlagJson = "{}";
    /// <summary>
    /// Children named elem, slist and val are always JSON arrays, even with one row (the reference's advice to emulators).
    /// <see cref="Dci5Control.SingleRowAsObject"/> switches one-row lists to a bare object, the shape clients must also accept.
    /// Any other child is an array only when it repeats.
    /// </summary>
    public static readonly string[] AlwaysArrays = { "elem", "slist", "val" };
    /// <summary>The doc element carries lang="en", func="&lt;func&gt;" and binary="/dcimgr" (JSON: $lang, $func, $binary).</summary>
    public const string DocLang = "en";
    /// <summary>out=sjson: like json, but every child of an element below doc (a row's fields, a report's rows) is an array.</summary>
    public const string SjsonRule = "depth>=2 children are arrays";
    /// <summary>
    /// out=JSONdata: a document with elem rows is a JSON array of flat objects of strings (a flag is "on");
    /// any other document is one flat object (attributes without "$", leaf children as strings, others nested),
    /// e.g. {"error":{"type":"value","object":"elid","msg":"..."}} and {"ok":"on"}.
    /// </summary>
    public const string FlagJsonData = "on";
    /// <summary>Unknown out values (text, devel, anything else) are answered as xml.</summary>
    public const string DefaultOut = "xml";
    /// <summary>List rows omit empty fields (owner of a free server, a missing ip); forms always carry every field.</summary>
    public const bool ListsOmitEmptyFields = true;

    // ---- Errors ----
    /// <summary>Error type of a missing, unknown, expired or foreign-IP session and of bad credentials or keys.</summary>
    public const string TypeAuth = "auth";
    /// <summary>Error type of a non-admin calling an admin function, or acting on a server it does not own.</summary>
    public const string TypeAccess = "access";
    /// <summary>An unknown func answers type "missed", object "func".</summary>
    public const string UnknownFuncObject = "func";
    /// <summary>*.delete of an id that does not exist answers type "missed" with the list name as object (user, iplist).</summary>
    public const string DeleteMissing = "missed";
    /// <summary>An operation, power action or cancel refused because another operation runs, or none runs: type value, object elid.</summary>
    public const string BusyObject = "elid";
    /// <summary>Injected 503/500 faults: that status with an error doc of type "sys" in the requested out format.</summary>
    public const string TypeFault = "sys";

    // ---- Auth ----
    public const string AdminName = "admin";
    /// <summary>Seeded users are user01..user08 (the DCImanager 6 users' e-mail local parts), password SimulatorOptions.UserPassword.</summary>
    public const string UserNamePattern = "userNN";
    /// <summary>Access levels: the reference confirms 16 = ordinary user; 28 for the admin is decided. level=lvUser/lvAdmin map to them.</summary>
    public const int LevelUser = 16, LevelAdmin = 28;
    /// <summary>Session ids: 24 lower-case hex characters.</summary>
    public const int SessionIdHexLength = 24;
    /// <summary>session.newkey refuses keys shorter than this (value/key): the guide says "16+ characters".</summary>
    public const int MinKeyLength = 16;
    /// <summary>Keys not used within this time expire (the guide only says single use).</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromMinutes(10);
    /// <summary>A session is bound to the client IP that opened it (the guide says so); another IP gets an auth error.</summary>
    public const bool SessionBoundToIp = true;
    /// <summary>Only the admin may call session.newkey, user*, rack, switch*, pdu*, chassistempl, longtask, server.edit
    /// and server.connection*; ordinary users see and act on their own servers only (server, power, operations, iplist, reports).</summary>
    public const string UserRights = "own servers only";
    /// <summary>su=&lt;user&gt; on an admin call runs it as that user (a seed claim [S]); from a non-admin it is refused (access).
    /// lang= is echoed in the doc's lang attribute; messages stay English.</summary>
    public const bool SuRunsAsUser = true;

    // ---- Operations ----
    /// <summary>Durations when SimulatorOptions.OperationDuration is null (decided).</summary>
    public static readonly TimeSpan PowerDuration = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan InstallDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan DiagDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ClearDiskDuration = TimeSpan.FromSeconds(15);
    /// <summary>
    /// Flags while an operation runs: power on keeps poweroff until done, power off keeps poweron, a reboot shows neither;
    /// an OS install, a disk wipe and a rescue boot show install_in_progress; diagnostics show diag_in_progress.
    /// A failed operation (POST /_sim/fail-operations) leaves operation_failed (power: powererror) until the next one starts.
    /// </summary>
    public const string OperationFlags = "see summary";
    /// <summary>server.operations write: operation = ostemplate | diag | clearhdd | rescue (or diag=on / clearhdd=on without operation).
    /// An install needs a known ostemplate key and passwd equal to confirm when confirm is sent.</summary>
    public static readonly string[] Operations = { "ostemplate", "diag", "clearhdd", "rescue" };
    /// <summary>OS template keys (ostemplate=, osmgr name) are the DCImanager 6 template names with spaces as dashes.</summary>
    public const char TemplateKeySpace = '-';
    /// <summary>server.disable/enable act at once: the disabled flag and the data switch port (disabled on the port row).</summary>
    public const bool DisableIsImmediate = true;
    /// <summary>pdu.off on a server's outlet powers the server off at once (poweroff flag); pdu.on does not power it on.</summary>
    public const bool PduOffPowersServerOff = true;
    /// <summary>Ledger operation names reuse DCImanager 6's (power_on, operation_os, owner_set, ip_add, port_enable ...);
    /// DCImanager 5 only: operation_cancel, pdu_port_on, pdu_port_off, connection_create. Task id is 0 (no task ids).</summary>
    public const string LedgerNames = "dci6 names";

    // ---- Forms ----
    /// <summary>server.edit submit: name, mac, notes, type and owner are the form; each one not sent is cleared
    /// (owner not sent = no owner). disabled (on/off) and hostname are shown but read-only: server.disable/enable and an
    /// OS install (hostname=) change them.</summary>
    public static readonly string[] ServerFormFields = { "name", "mac", "notes", "type", "owner" };
    /// <summary>server.edit read shows owner as the user id (an slist name=owner lists the ids); the list row shows the user name.</summary>
    public const bool FormOwnerIsId = true;
    /// <summary>user.edit on an existing user: realname and level not sent are cleared (level to 16); passwd not sent keeps the password.</summary>
    public static readonly string[] UserFormFields = { "name", "realname", "level" };
    /// <summary>iplist.edit on an existing address: domain not sent is cleared.</summary>
    public const bool IpDomainCleared = true;
    /// <summary>server.connection.edit submit: port (Switch) or ipmiip/ip (IPMI) not sent is cleared.</summary>
    public const bool ConnectionFieldsCleared = true;
    /// <summary>Deleting a user frees its servers (owner cleared).</summary>
    public const bool UserDeleteFreesServers = true;

    // ---- Inventory ----
    /// <summary>List row type of every seeded server; free servers keep their hostname (no "free.ds" convention).</summary>
    public const string ServerType = "server";
    /// <summary>Every server whose id is a multiple of this shows the hwproblem flag.</summary>
    public const int HwProblemEvery = 97;
    /// <summary>Connections per server: a Switch (its data port), an IPMI (name = its IPMI address), a PDU outlet (type "PDU").</summary>
    public const string ConnectionTypes = "Switch, IPMI, PDU";
    /// <summary>server.connection.on/off and .autocreateipmi take a few polls: func_in_progress shows for PowerDuration/3.</summary>
    public const bool ConnectionFuncInProgress = true;
    /// <summary>ipmiredirect answers ok = https://&lt;host&gt;/ipmiproxy/&lt;server id&gt;/&lt;connection&gt;.</summary>
    public const string IpmiProxyPath = "/ipmiproxy/";
    /// <summary>switch.port rows: id, identity (port name), serverhname, desc, speed; the disabled flag when administratively down.</summary>
    public const bool PortDisabledFlag = true;
    /// <summary>switch.port.refresh takes elid = port identity and plid = switch (optional); it answers the port as a form.</summary>
    public const bool RefreshAnswersPortForm = true;
    /// <summary>iplist rows: a header row per family (id ipv4|ipv6, type group) then address rows (type ipv4|ipv6).</summary>
    public const bool IpGroupRows = true;
    /// <summary>iptype names the DCImanager 6 pools: public, private, ipmi, tiny. The first address of a server becomes its ip.</summary>
    public static readonly string[] IpTypes = { "public", "private", "ipmi", "tiny" };

    // ---- Reports (containers and units inferred; the functions and reportdata.traff.elem are confirmed) ----
    /// <summary>traffic: reportdata.traff.elem {id, hostname, rx, tx}; rx/tx text in GiB with two decimals, orig attribute bytes.
    /// trafficpie: reportdata.traffpie.elem {hostname, percent}; trafficburstable: reportdata.traff.elem {id, hostname, burst} (Mbit/s);
    /// currentdetails: reportdata.traff.elem {date, rx, tx} for elid = server. Values are deterministic per server and period.</summary>
    public static readonly string[] Periods = { "currentmonth", "lastmonth", "day", "week", "year" };
    /// <summary>longtask lists recent operations: id, name (func), elid, status (run|ok|err).</summary>
    public const bool LongtaskListsOperations = true;

    // ---- Transport ----
    /// <summary>Form bodies above this size get HTTP 413 (transport failure, no doc).</summary>
    public const int MaxBodyBytes = 1024 * 1024;
    /// <summary>Methods other than GET/POST get HTTP 405; other paths HTTP 404 (no doc).</summary>
    public const bool TransportFailuresHaveNoDoc = true;
    /// <summary>The shared suspend-after-idle switch (DCImanager 6's 503 wake-up) does not apply to this mode.</summary>
    public const bool NoSuspension = true;
}
