using System.Text.Json;
using System.Text.Json.Serialization;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>An IP address (element of <c>dci/v3/ip</c> and <c>dci/v3/server/{id}/ip</c>).</summary>
public sealed class DciIpAddress : DciObject, IDciServerLink
{
    public long Id { get; set; }
    /// <summary>The address itself.</summary>
    public string? Name { get; set; }
    public string? Domain { get; set; }
    /// <summary>"ipv4" or "ipv6".</summary>
    public string? Family { get; set; }
    public string? Gateway { get; set; }
    public string? Network { get; set; }
    /// <summary>Name of the server holding the address.</summary>
    public string? Server { get; set; }
    /// <summary>Id of the server holding the address (JSON <c>server_id</c>, inferred; filled by the engine when listing a server's addresses).</summary>
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ServerId { get; set; }
    public string? Status { get; set; }
    private DciLazyData? _statusInfo;
    [JsonInclude, JsonPropertyName("status_info")]
    internal JsonElement? StatusInfoJson { get => _statusInfo?.Json; set => _statusInfo = new DciLazyData(value); }
    [JsonIgnore]
    public object? StatusInfo => _statusInfo?.Value;
    public override string ToString() => Name ?? "";
}

/// <summary>An IP network (<c>ip/v3/ipnet</c>).</summary>
public sealed class DciIpNetwork : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    /// <summary>2 (IPv4) or 10 (IPv6).</summary>
    [JsonConverter(typeof(AddressFamilyConverter))]
    public int? Family { get; set; }
    [JsonIgnore]
    public string? FamilyName => Family switch { 2 => "IPv4", 10 => "IPv6", null => null, _ => Family.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
    public int? Mask { get; set; }
    public string? Gateway { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Userspace { get; set; }
    public string? Vlan { get; set; }
    public string? Note { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Size { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UsingIp { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? TotalIp { get; set; }
    public override string ToString() => Name ?? "";
}

/// <summary>An IP pool (<c>ip/v3/ippool</c>).</summary>
public sealed class DciIpPool : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Userspace { get; set; }
    public string? Note { get; set; }
    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? IsPublic { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UsingIp { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UsingIpv4 { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? UsingIpv6 { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? TotalIp { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? TotalIpv4 { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? TotalIpv6 { get; set; }
    public override string ToString() => Name ?? "";
}
