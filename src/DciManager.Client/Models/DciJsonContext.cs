using System.Text.Json;
using System.Text.Json.Serialization;

namespace DciManager.Client.Models;

/// <summary>Source-generated System.Text.Json metadata for everything the engine reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(DciServer))]
[JsonSerializable(typeof(DciList<DciServer>))]
[JsonSerializable(typeof(DciList<DciServerConfiguration>))]
[JsonSerializable(typeof(DciList<DciIpAddress>))]
[JsonSerializable(typeof(DciList<DciIpNetwork>))]
[JsonSerializable(typeof(DciList<DciIpPool>))]
[JsonSerializable(typeof(DciList<DciUser>))]
[JsonSerializable(typeof(DciList<DciTask>))]
[JsonSerializable(typeof(DciList<DciOsTemplate>))]
[JsonSerializable(typeof(DciList<DciLocation>))]
[JsonSerializable(typeof(DciList<DciRack>))]
[JsonSerializable(typeof(DciList<DciSwitch>))]
[JsonSerializable(typeof(DciList<DciSwitchPort>))]
[JsonSerializable(typeof(DciList<DciPdu>))]
[JsonSerializable(typeof(DciList<DciWarehouseItem>))]
[JsonSerializable(typeof(DciTask))]
[JsonSerializable(typeof(DciWhoAmI))]
[JsonSerializable(typeof(ErrorEnvelope))]
[JsonSerializable(typeof(ActionResponse))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(KeyResponse))]
internal sealed partial class DciJsonContext : JsonSerializerContext
{
}
