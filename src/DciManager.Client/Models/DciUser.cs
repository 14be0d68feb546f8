using System.Text.Json.Serialization;
using DciManager.Client.Models;

namespace DciManager.Client;

/// <summary>A DCImanager user (<c>dci/v3/user</c>).</summary>
public sealed class DciUser : DciObject
{
    private List<string> _roles = new();

    public long Id { get; set; }
    public string? Email { get; set; }
    public string? FullName { get; set; }
    public string? PhoneNumber { get; set; }
    public int? ServerCount { get; set; }

    /// <summary>Roles such as "@admin" or "@user" (accepts a JSON array or the string form "[@user]").</summary>
    [JsonConverter(typeof(RolesConverter))]
    public List<string> Roles { get => _roles; set => _roles = value ?? new(); }

    public int? VlansPerUser { get; set; }
    public string? State { get; set; }

    [JsonIgnore]
    public bool IsAdmin => Roles.Any(r => string.Equals(r, "@admin", StringComparison.OrdinalIgnoreCase) || string.Equals(r, "admin", StringComparison.OrdinalIgnoreCase));

    /// <summary>"Admin" or "User".</summary>
    [JsonIgnore]
    public string Role => IsAdmin ? "Admin" : "User";

    public override string ToString() => Email ?? Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The answer of <c>auth/v4/whoami</c>.</summary>
public sealed class DciWhoAmI : DciObject
{
    private List<string> _roles = new();

    public long Id { get; set; }
    public string? Email { get; set; }
    [JsonConverter(typeof(RolesConverter))]
    public List<string> Roles { get => _roles; set => _roles = value ?? new(); }
    public string? State { get; set; }

    [JsonIgnore]
    public bool IsAdmin => Roles.Any(r => string.Equals(r, "@admin", StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Email ?? "";
}
