using System.Globalization;

namespace DciManager.Client;

// openDCIM's inventory as the module emits it. Ids arrive as JSON numbers on GET and as strings ("7", "" for unset)
// in create answers: OpenDcimRow reads both. Fields these types do not model stay in AdditionalProperties.

/// <summary>An openDCIM data center (<c>/datacenter</c>).</summary>
public sealed class DciDataCenter : DciObject
{
    /// <summary>A reference typed by a person: digits are an id, anything else a name (wildcards allowed where the cmdlet says so).</summary>
    public static DciDataCenter Parse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new() { Id = id } : new() { Name = text };

    public long Id { get; set; }
    public string? Name { get; set; }
    public string? DeliveryAddress { get; set; }
    public string? Administrator { get; set; }
    public long? SquareFootage { get; set; }
    public long? MaxKW { get; set; }
    public override string ToString() => Name ?? Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An openDCIM cabinet (<c>/cabinet</c>): a rack in a data center.</summary>
public sealed class DciCabinet : DciObject
{
    /// <summary>A reference typed by a person: digits are an id, anything else a location (wildcards allowed where the cmdlet says so).</summary>
    public static DciCabinet Parse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new() { Id = id } : new() { Location = text };

    public long Id { get; set; }
    public string? Location { get; set; }
    public long? DataCenterId { get; set; }
    public string? DataCenterName { get; set; }
    /// <summary>The department the cabinet is assigned to (DeptID; 0: none).</summary>
    public long? AssignedTo { get; set; }
    public long? CabinetHeight { get; set; }
    public string? Model { get; set; }
    public string? Notes { get; set; }
    public string? Rights { get; set; }
    public override string ToString() => Location ?? Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An openDCIM device (<c>/device</c>): a server, switch, CDU, chassis, patch panel ...</summary>
public sealed class DciDevice : DciObject
{
    public long Id { get; set; }
    public string? Label { get; set; }
    public string? DeviceType { get; set; }
    /// <summary>The cabinet's id (CabinetID).</summary>
    public long? Cabinet { get; set; }
    public long? Position { get; set; }
    public long? Height { get; set; }
    /// <summary>The owning department's id (DeptID).</summary>
    public long? Owner { get; set; }
    public long? PrimaryContact { get; set; }
    public long? TemplateId { get; set; }
    public long? ParentDevice { get; set; }
    public string? SerialNo { get; set; }
    public string? AssetTag { get; set; }
    public string? PrimaryIP { get; set; }
    public string? Status { get; set; }
    public string? Notes { get; set; }
    /// <summary>What the signed-in user may do with it (Write, Read, None; None: non-public fields are empty).</summary>
    public string? Rights { get; set; }
    public override string ToString() => Label ?? Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>An openDCIM department (<c>/department</c>): owners of devices and cabinets.</summary>
public sealed class DciDepartment : DciObject
{
    /// <summary>A reference typed by a person: digits are an id, anything else a name (wildcards allowed where the cmdlet says so).</summary>
    public static DciDepartment Parse(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new() { Id = id } : new() { Name = text };

    public long Id { get; set; }
    public string? Name { get; set; }
    public string? ExecSponsor { get; set; }
    public string? SDM { get; set; }
    public string? Classification { get; set; }
    public string? DeptColor { get; set; }
    public override string ToString() => Name ?? Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What New-DciDevice creates (PUT /device/{label}); null fields are not sent.</summary>
public sealed class DciNewDevice
{
    public required string Label { get; init; }
    public required long Cabinet { get; init; }
    public required long Position { get; init; }
    public required long Height { get; init; }
    public required string DeviceType { get; init; }
    public long? TemplateId { get; init; }
    public long? Owner { get; init; }
    public long? PrimaryContact { get; init; }
    public string? SerialNo { get; init; }
    public string? AssetTag { get; init; }
    public string? PrimaryIP { get; init; }
    public string? Notes { get; init; }
}

/// <summary>Which devices Get-DciDevice asks openDCIM for (exact matches unless <see cref="Substring"/>).</summary>
public sealed class DciDeviceQuery
{
    public long? Id { get; init; }
    public string? Label { get; init; }
    /// <summary>Sends <c>wildcards</c>: every filter becomes a substring match (LIKE %v%).</summary>
    public bool Substring { get; init; }
    public string? DeviceType { get; init; }
    public long? Cabinet { get; init; }
    public long? Owner { get; init; }
    public string? SerialNo { get; init; }
    public string? AssetTag { get; init; }
    /// <summary>Only these fields (attributes=); null: all.</summary>
    public IReadOnlyList<string>? Attributes { get; init; }
}
