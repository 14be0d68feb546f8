namespace DciManager.Simulator.OpenDcim;

/// <summary>
/// The one place that lists every openDCIM-mode behaviour that is inferred or decided rather than observed.
/// Observed facts come from /work/shared/reference/opendcim-observed.md (a real openDCIM 23.04);
/// code facts from other-seed-apis.md section 2 ([C] marks). Anything not listed here follows one of those.
/// Code elsewhere in the mode refers to these members.
/// </summary>
public static class OpenDcimInferred
{
    // ---- Simulator conveniences (decided) ----

    /// <summary>
    /// With <see cref="OpenDcimAuthMode.Both"/> one listener plays both vhosts: a request that carries an
    /// <c>Authorization</c> header is judged by the Basic ("Apache") vhost, any other by the UserID/APIKey vhost.
    /// A real installation uses one vhost per mode; the pure modes behave exactly as such a vhost.
    /// </summary>
    public const string BothModesRule = "Authorization header present => Basic vhost, else the key vhost";

    /// <summary>
    /// The real key vhost accepts a PHP session holding <c>userid</c> instead of the headers. The simulator sets
    /// PHPSESSID on every PHP answer (as observed) but never lets the cookie stand in for the headers (the brief:
    /// a session cookie must not bypass the header check); instead it counts requests that send PHPSESSID back
    /// (<see cref="OpenDcimSimulation.CookieRequests"/>) so a client that keeps cookies is caught by a count.
    /// </summary>
    public const bool SessionCookieBypassesHeaders = false;

    /// <summary>Paths outside /api/v1/ answer Apache's own 404 page (the .htaccess only rewrites under api/v1).</summary>
    public const string ApiPrefix = "/api/v1";

    // ---- Route behaviour not covered by the observation (inferred from the code notes) ----

    /// <summary>PUT /department and DELETE or POST /cabinet by a non-SiteAdmin: 401 "Access Denied", as PUT /cabinet.</summary>
    public const int SiteAdminRefusalStatus = 401;

    /// <summary>PUT /cabinet without DataCenterID, Location or CabinetHeight: 400 with this message.</summary>
    public const string CabinetMissingParameters = "Missing required parameter: DataCenterID, Location and CabinetHeight are required.";

    /// <summary>PUT /cabinet naming a data center that does not exist, or POST /cabinet/{unknown}: 400 with this message.</summary>
    public const string ResourceDoesNotExist = "The requested resource does not exist.";

    /// <summary>POST /device/{id} moving the device into a cabinet that does not exist: 401 "Update failed" ([C] failed update → 401).</summary>
    public const string UpdateFailed = "Update failed";

    /// <summary>DELETE /cabinet/{id} also deletes the devices in it (Cabinet::DeleteCabinet removes its contents).</summary>
    public const bool DeletingCabinetDeletesItsDevices = true;

    /// <summary>DELETE /device/{id} of a chassis leaves its children (ParentDevice) in place (not simulated further).</summary>
    public const bool DeletingChassisDeletesItsChildren = false;

    /// <summary>Under wildcards, % and _ in a value keep their LIKE meaning and \ escapes (MySQL LIKE "%v%").</summary>
    public const bool WildcardValuesKeepLikeMetacharacters = true;

    /// <summary>POST /device/{id} upper-cases a new Label too (LabelCase is applied by Device::MakeSafe on every write).</summary>
    public const bool UpdateUpperCasesLabel = true;

    /// <summary>POST /people/{x}: x is looked up as a UserID, then (when numeric) as a PersonID.</summary>
    public const bool PeopleUpdateAcceptsPersonId = true;

    /// <summary>An invalid DeviceType on PUT/POST becomes "Server" (Device::MakeSafe's fallback).</summary>
    public const string DefaultDeviceType = "Server";

    /// <summary>Status of a new device when the request names none.</summary>
    public const string DefaultStatus = "Production";

    /// <summary>The label in the URL of PUT /device/{label} wins over a Label in the body.</summary>
    public const bool UrlLabelWinsOverBody = true;

    /// <summary>A filter with an empty value is ignored (extendsql skips empty values).</summary>
    public const bool EmptyFilterValueIgnored = true;

    /// <summary>
    /// Rights model (Device::FilterRights, simplified): SiteAdmin or global WriteAccess → Write on everything;
    /// membership of the owning department (device Owner or cabinet AssignedTo) → Write; global ReadAccess → Read;
    /// otherwise None. PUT /device/{label} needs Write on the target cabinet (its AssignedTo department).
    /// Parent-chassis inheritance and GDPR isolation are not simulated.
    /// </summary>
    public const string RightsModel = "SiteAdmin|WriteAccess|member of owner dept => Write; ReadAccess => Read; else None";

    /// <summary>List order per route (devices by Label is observed, people by LastName, FirstName is observed).</summary>
    public const string ListOrder = "datacenter by Name, cabinet by Location, department by Name, devicetemplate by Model";

    /// <summary>Department created without DeptColor is stored as "#FFFFFF" (the column default) but answered as "".</summary>
    public const string DefaultDeptColor = "#FFFFFF";

    /// <summary>Apache's version string in its own error pages.</summary>
    public const string ApacheSignature = "Apache/2.4.57 (Debian)";

    /// <summary>An injected 500 is answered as Slim's "Slim Application Error" page (the observed 500 form); an
    /// injected 503 (or any other status) as Apache's own page.</summary>
    public const string FaultPages = "500 => Slim Application Error HTML; other => Apache HTML";
}
