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

    private DciData? _additionalProperties;

    private Dictionary<string, JsonElement>? _extensionData;
    private object? _source;
    private Func<object, Dictionary<string, JsonElement>>? _readFields;

    /// <summary>Fields the API sent that this type does not model, as the JSON reader kept them.</summary>
    [JsonExtensionData]
    [JsonInclude]
    internal Dictionary<string, JsonElement>? ExtensionData
    {
        get => _extensionData ??= _source is { } source && _readFields is { } read ? read(source) : null;
        set => _extensionData = value;
    }

    /// <summary>
    /// Keeps the platform's own row this object was mapped from (a DCImanager 5 list row); its fields become
    /// <see cref="ExtensionData"/> only when someone asks, so a long list costs no per-field copies.
    /// </summary>
    internal void KeepSource(object source, Func<object, Dictionary<string, JsonElement>> readFields)
    {
        _source = source;
        _readFields = readFields;
    }

    /// <summary>Fields the API sent that this type does not model, as PowerShell-navigable data.</summary>
    [JsonIgnore]
    public DciData? AdditionalProperties =>
        ExtensionData is { Count: > 0 } fields ? _additionalProperties ??= DciData.FromFields(fields) : null;
}
