using System.Globalization;
using System.Text.Json.Serialization;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>A data center location (<c>dci/v3/location</c>).</summary>
public sealed class DciLocation : DciObject
{
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; set; }
    public string? Name { get; set; }

    /// <summary>A location known only by name (a name typed for -Location); cmdlets find it by name.</summary>
    public static DciLocation Parse(string name) => new() { Name = name };

    public override string ToString() => Name ?? Id?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>A rack (<c>dci/v3/rack</c>); a server's <c>rack</c> is the same object with only id and name.</summary>
public sealed class DciRack : DciObject
{
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; set; }
    public string? Name { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? LocationId { get; set; }
    public DciLocation? Location { get; set; }
    /// <summary>Height in units.</summary>
    public int? Units { get; set; }
    /// <summary>How many devices the rack holds.</summary>
    public int? DeviceCount { get; set; }
    public int? FreeUnits { get; set; }

    /// <summary>A rack known only by name (a name typed for -Rack); cmdlets find it by name.</summary>
    public static DciRack Parse(string name) => new() { Name = name };

    public override string ToString() => Name ?? Id?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>A rack-mounted switch (<c>dci/v3/switch</c>).</summary>
public sealed class DciSwitch : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Model { get; set; }
    public string? Ip { get; set; }
    /// <summary>"data" or "ipmi" (decided).</summary>
    public string? Purpose { get; set; }
    public DciRack? Rack { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? LocationId { get; set; }
    public int? PortCount { get; set; }

    /// <summary>A switch known only by name (a name typed for -Switch); cmdlets find it by name.</summary>
    public static DciSwitch Parse(string name) => new() { Name = name };

    public override string ToString() => Name ?? Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Id and name of a related object (the server on a port).</summary>
public sealed class DciReference : DciObject
{
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; set; }
    public string? Name { get; set; }
    public override string ToString() => Name ?? Id?.ToString(CultureInfo.InvariantCulture) ?? "";
}

/// <summary>A switch port (<c>dci/v3/switch/{id}/port</c>).</summary>
public sealed class DciSwitchPort : DciObject, IDciServerLink
{
    public long Id { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? SwitchId { get; set; }
    public string? SwitchName { get; set; }
    public int? Number { get; set; }
    /// <summary>The port's name, e.g. GigabitEthernet1/0/12.</summary>
    public string? Description { get; set; }
    /// <summary>"up" (enabled) or "down" (disabled).</summary>
    public string? AdminStatus { get; set; }
    public string? OperStatus { get; set; }
    public int? Speed { get; set; }
    /// <summary>The server cabled to the port, or null.</summary>
    public DciReference? Server { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? ConnectionId { get; set; }
    [JsonConverter(typeof(FlexibleBooleanConverter))]
    public bool? IsIpmiConnection { get; set; }

    /// <summary>Id of the cabled server (so a port piped to Get-DciServer finds its server), or null.</summary>
    [JsonIgnore]
    public long? ServerId => Server?.Id;

    [JsonIgnore]
    public string? ServerName => Server?.Name;

    [JsonIgnore]
    public bool IsEnabled => string.Equals(AdminStatus, "up", StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{SwitchName ?? SwitchId?.ToString(CultureInfo.InvariantCulture)} {Description}".Trim();
}

/// <summary>A PDU (<c>dci/v3/pdu</c>).</summary>
public sealed class DciPdu : DciObject
{
    public long Id { get; set; }
    public string? Name { get; set; }
    public string? Model { get; set; }
    public string? Ip { get; set; }
    public DciRack? Rack { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? LocationId { get; set; }
    public int? PortCount { get; set; }
    public override string ToString() => Name ?? Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The five kinds of warehouse stock (<c>dci/v3/warehouse/{type}</c>).</summary>
public enum DciWarehouseType { Switch, Pdu, Ups, Chassis, SparePart }

/// <summary>Equipment or a component in stock (<c>dci/v3/warehouse/...</c>); never mounted in a rack.</summary>
public sealed class DciWarehouseItem : DciObject
{
    public long Id { get; set; }
    /// <summary>Which warehouse list the item came from (set by the engine).</summary>
    [JsonIgnore]
    public DciWarehouseType Type { get; set; }
    public string? Name { get; set; }
    public string? Model { get; set; }
    public string? SerialNumber { get; set; }
    public string? WarehouseStatus { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? LocationId { get; set; }
    public DciLocation? Location { get; set; }
    /// <summary>Spare parts only: disk, ram, psu, nic ...</summary>
    public string? PartType { get; set; }
    public override string ToString() => Name ?? Id.ToString(CultureInfo.InvariantCulture);
}
