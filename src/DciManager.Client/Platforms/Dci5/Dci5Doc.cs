using System.Text.Json;

namespace DciManager.Client.Platforms.Dci5;

/// <summary>
/// Reads COREmanager 5's <c>doc</c> envelope (out=json): every value is text under "$", attributes are "$name" keys,
/// a flag is a key that exists only when true, and a list of one row may come as a bare object instead of an array.
/// An out=xml answer arrives here in the same shape (<see cref="Dci5XmlReader"/>), so this is the one reading of both.
/// </summary>
internal static class Dci5Doc
{
    /// <summary>The <c>doc</c> object of an answer; a <see cref="JsonException"/> when the answer has none.</summary>
    public static JsonElement Root(JsonElement answer)
    {
        if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("doc", out var doc) && doc.ValueKind == JsonValueKind.Object)
            return doc;
        throw new JsonException("The answer is not a DCImanager 5 document (no \"doc\" object).");
    }

    /// <summary>The text of a child element: {"name":{"$":"text"}}; a bare string is accepted; null when absent.</summary>
    public static string? Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var child)) return null;
        return TextOf(child);
    }

    /// <summary>The "$" text of an element itself (a one-row array counts as its row).</summary>
    public static string? TextOf(JsonElement child) => child.ValueKind switch
    {
        JsonValueKind.String => child.GetString(),
        JsonValueKind.Number => child.GetRawText(),
        JsonValueKind.Object when child.TryGetProperty("$", out var text) && text.ValueKind is JsonValueKind.String or JsonValueKind.Number =>
            text.ValueKind == JsonValueKind.String ? text.GetString() : text.GetRawText(),
        JsonValueKind.Array when child.GetArrayLength() > 0 => TextOf(child[0]),
        _ => null,
    };

    /// <summary>An attribute ("$name") of an element.</summary>
    public static string? Attribute(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("$" + name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A flag: present (an empty element) means true; absent means false.</summary>
    public static bool Flag(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.False or JsonValueKind.Null);

    /// <summary>The rows of a repeated child: an array, a bare object (one row), or nothing (an empty list).</summary>
    public static IEnumerable<JsonElement> Rows(JsonElement element, string name = "elem")
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var rows)) yield break;
        switch (rows.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var row in rows.EnumerateArray())
                    if (row.ValueKind == JsonValueKind.Object) yield return row;
                break;
            case JsonValueKind.Object:
                yield return rows;
                break;
        }
    }

    /// <summary>The names of the flags of a row: the keys whose value is an empty object.</summary>
    public static List<string> Flags(JsonElement row)
    {
        var flags = new List<string>();
        if (row.ValueKind != JsonValueKind.Object) return flags;
        foreach (var property in row.EnumerateObject())
        {
            if (property.Name.StartsWith('$')) continue;
            if (property.Value.ValueKind == JsonValueKind.Object && !property.Value.EnumerateObject().Any()) flags.Add(property.Name);
        }
        return flags;
    }

    /// <summary>The error of an error document (type, object, msg), or null.</summary>
    public static (string Type, string? Object, string? Message)? Error(JsonElement doc)
    {
        if (doc.ValueKind != JsonValueKind.Object || !doc.TryGetProperty("error", out var error)) return null;
        if (error.ValueKind == JsonValueKind.Array && error.GetArrayLength() > 0) error = error[0];
        if (error.ValueKind != JsonValueKind.Object) return ("sys", null, TextOf(error));
        return (Attribute(error, "type") ?? "sys", Attribute(error, "object"), Text(error, "msg") ?? TextOf(error));
    }

    /// <summary>The platform-neutral kind of a DCImanager 5 error type.</summary>
    public static DciErrorKind KindOf(string type) => type switch
    {
        "value" => DciErrorKind.InvalidArgument,
        "exists" => DciErrorKind.ResourceExists,
        "missed" => DciErrorKind.NotFound,
        "access" => DciErrorKind.PermissionDenied,
        "auth" => DciErrorKind.Authentication,
        _ => DciErrorKind.ServerError,
    };

    /// <summary>Every text field of a row, flags as true, for the objects' AdditionalProperties.</summary>
    public static Dictionary<string, JsonElement> Fields(JsonElement row)
    {
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (row.ValueKind != JsonValueKind.Object) return fields;
        foreach (var property in row.EnumerateObject())
        {
            if (property.Name.StartsWith('$')) continue;
            if (property.Value.ValueKind == JsonValueKind.Object && !property.Value.EnumerateObject().Any())
                fields[property.Name] = s_true;
            else if (TextOf(property.Value) is { } text)
                fields[property.Name] = JsonSerializer.SerializeToElement(text, Models.DciJsonContext.Default.String);
        }
        return fields;
    }

    private static readonly JsonElement s_true = JsonDocument.Parse("true").RootElement.Clone();
}
