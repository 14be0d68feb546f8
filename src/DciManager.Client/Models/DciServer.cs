using System.Text.Json;
using System.Text.Json.Serialization;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>A bare-metal server (element of <c>dci/v3/server</c>).</summary>
public sealed class DciServer : DciObject
{
    private DciCollection<DciIpAddress> _ip = new();
    private DciCollection<DciSwitchConnection> _switchConnection = new();

    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Domain { get; set; }
    public string? Configuration { get; set; }
    public string? State { get; set; }
    public string? StateInfo { get; set; }
    public string? PowerStatus { get; set; }
    public string? OwnerEmail { get; set; }
    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? IsNew { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? LocationId { get; set; }
    /// <summary>The server's location ({id, name}, decided); null when the panel sends only location_id.</summary>
    public DciLocation? Location { get; set; }
    public DciRack? Rack { get; set; }
    public int? Unit { get; set; }
    public string? Barcode { get; set; }

    public DciCollection<DciIpAddress> Ip { get => _ip; set => _ip = value ?? new(); }

    public DciServerOperation? Operation { get; set; }
    public DciOsTemplateRef? OsTemplate { get; set; }
    private DciLazyData? _hardwareInfo;
    [JsonInclude, JsonPropertyName("hardware_info")]
    internal JsonElement? HardwareInfoJson { get => _hardwareInfo?.Json; set => _hardwareInfo = new DciLazyData(value); }
    [JsonIgnore]
    public object? HardwareInfo => _hardwareInfo?.Value;
    private DciLazyData? _performInfo;
    [JsonInclude, JsonPropertyName("perform_info")]
    internal JsonElement? PerformInfoJson { get => _performInfo?.Json; set => _performInfo = new DciLazyData(value); }
    [JsonIgnore]
    public object? PerformInfo => _performInfo?.Value;
    private DciLazyData? _settings;
    [JsonInclude, JsonPropertyName("settings")]
    internal JsonElement? SettingsJson { get => _settings?.Json; set => _settings = new DciLazyData(value); }
    [JsonIgnore]
    public object? Settings => _settings?.Value;
    private DciLazyData? _pduConnection;
    [JsonInclude, JsonPropertyName("pdu_connection")]
    internal JsonElement? PduConnectionJson { get => _pduConnection?.Json; set => _pduConnection = new DciLazyData(value); }
    [JsonIgnore]
    public object? PduConnection => _pduConnection?.Value;

    public DciCollection<DciSwitchConnection> SwitchConnection { get => _switchConnection; set => _switchConnection = value ?? new(); }

    /// <summary>The first IPv4 address, else the first address.</summary>
    [JsonIgnore]
    public string? MainIp =>
        (Ip.FirstOrDefault(a => string.Equals(a?.Family, "ipv4", StringComparison.OrdinalIgnoreCase)) ?? Ip.FirstOrDefault())?.Name;

    /// <summary>The platform's status flags as the engine read them (DCImanager 5: Platforms.Dci5.Dci5Flags), for waits.</summary>
    internal int PlatformFlags { get; set; }

    /// <summary>True when the server has no owner.</summary>
    [JsonIgnore]
    public bool IsFree => string.IsNullOrEmpty(OwnerEmail);

    public override string ToString() => Name ?? Key;

    /// <summary>The id as a platform that does not number its servers spells it (IMCO's 24-hex ids); null elsewhere.</summary>
    internal string? TextId { get; private init; }

    /// <summary>The server's id in the form its platform uses: the number, or <see cref="TextId"/>.</summary>
    internal string Key => TextId ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A server known only by its id (from a task, an address or a number), on <paramref name="connection"/> if known.</summary>
    public static DciServer Reference(long id, DciConnection? connection) => new() { Id = id, Connection = connection };

    /// <summary>A server known by an id in any platform's form (a number, or IMCO's 24 hexadecimal characters).</summary>
    public static DciServer Reference(string id, DciConnection? connection) =>
        DciIds.TryParseNumber(id, out var number) ? Reference(number, connection) : new() { TextId = id.Trim(), Connection = connection };
}

/// <summary>The server's current or last long operation.</summary>
public sealed class DciServerOperation : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Status { get; set; }
    private DciLazyData? _statusInfo;
    [JsonInclude, JsonPropertyName("status_info")]
    internal JsonElement? StatusInfoJson { get => _statusInfo?.Json; set => _statusInfo = new DciLazyData(value); }
    [JsonIgnore]
    public object? StatusInfo => _statusInfo?.Value;
    private DciLazyData? _progressInfo;
    [JsonInclude, JsonPropertyName("progress_info")]
    internal JsonElement? ProgressInfoJson { get => _progressInfo?.Json; set => _progressInfo = new DciLazyData(value); }
    [JsonIgnore]
    public object? ProgressInfo => _progressInfo?.Value;
    public override string ToString() => $"{Name} {Status}".Trim();
}

public sealed class DciOsTemplateRef : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    [JsonConverter(typeof(RolesConverter))]
    public List<string>? Tags { get; set; }
    public override string ToString() => Name ?? "";
}

public sealed class DciSwitchConnection : DciObject
{
    public long Id { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Switch { get; set; }
    public string? SwitchName { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ConnectionId { get; set; }
    public string? Description { get; set; }
    public string? AdminStatus { get; set; }
    public string? OperStatus { get; set; }
    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? DoNotCollectTraffic { get; set; }
    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? IsIpmiConnection { get; set; }
    public override string ToString() => $"{SwitchName ?? Switch?.ToString()} {Description}".Trim();
}

/// <summary>Free stock per hardware configuration (<c>dci/v3/server/configuration</c>).</summary>
public sealed class DciServerConfiguration : DciObject
{
    public string? Configuration { get; set; }
    [JsonConverter(typeof(LenientInt32Converter))]
    public int FreeServerCount { get; set; }
    public override string ToString() => $"{Configuration}: {FreeServerCount}";
}
