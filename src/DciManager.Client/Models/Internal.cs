using System.Text.Json;
using System.Text.Json.Serialization;

namespace DciManager.Client.Models;

/// <summary>The list envelope <c>{"list": [...], "size": N}</c>.</summary>
internal sealed class DciList<T>
{
    public List<T?>? List { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Size { get; set; }
}

/// <summary>The error envelope <c>{"error": {code, msg, value}}</c> (or the bare fields).</summary>
internal sealed class ErrorEnvelope
{
    public ErrorBody? Error { get; set; }
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Code { get; set; }
    public JsonElement? Msg { get; set; }
    public JsonElement? Value { get; set; }
}

internal sealed class ErrorBody
{
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Code { get; set; }
    public JsonElement? Msg { get; set; }
    public JsonElement? Value { get; set; }
}

/// <summary><c>{"id": N, "task": M}</c> of action calls, <c>{"id": N}</c> of create calls.</summary>
internal sealed class ActionResponse
{
    [JsonConverter(typeof(FlexibleInt64Converter))]
    public long? Id { get; set; }
    [JsonConverter(typeof(TaskIdConverter))]
    public long? Task { get; set; }
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

/// <summary>Answer of public/token, public/key and auth/v4/token.</summary>
internal sealed class TokenResponse
{
    public JsonElement? Id { get; set; }
    public string? Token { get; set; }
    public string? Session { get; set; }
    public bool? Confirmed { get; set; }
    public string? ExpiresAt { get; set; }
    public string? Description { get; set; }
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal sealed class KeyResponse
{
    public JsonElement? Id { get; set; }
    public string? Key { get; set; }
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}

internal static class JsonElementText
{
    /// <summary>A string or number element as text ("4" for both "4" and 4).</summary>
    public static string? AsText(this JsonElement? e) => e?.ValueKind switch
    {
        JsonValueKind.String => e.Value.GetString(),
        JsonValueKind.Number => e.Value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        null or JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.Value.GetRawText(),
    };
}
