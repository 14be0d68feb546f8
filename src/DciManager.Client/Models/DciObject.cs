using System.Text.Json;
using System.Text.Json.Serialization;

namespace DciManager.Client;

/// <summary>An object that names one server (a task, an address, a switch port): piped into a server cmdlet, it stands for that server.</summary>
public interface IDciServerLink
{
    long? ServerId { get; }
}

/// <summary>Base of every object the engine emits: it knows its connection and keeps unknown JSON fields.</summary>
public abstract class DciObject
{
    /// <summary>The connection this object came from (set by the engine on every emitted object).</summary>
    [JsonIgnore]
    public DciConnection? Connection { get; set; }

    /// <summary>Fields the API sent that this type does not model.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
