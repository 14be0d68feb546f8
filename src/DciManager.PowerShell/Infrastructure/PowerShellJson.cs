using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DciManager.PowerShell.Infrastructure;

/// <summary>Converts between JSON and the objects people type in PowerShell (hashtables, PSCustomObject).</summary>
public static class PowerShellJson
{
    /// <summary>JSON to PSCustomObject / object[] / scalars, as ConvertFrom-Json would give.</summary>
    public static object? ToPowerShell(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ToPSObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(ToPowerShell).ToArray(),
        JsonValueKind.String => element.GetString(),
        // Boxed apart, as ConvertFrom-Json gives: a conditional over long and double would make every number a double.
        JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static PSObject ToPSObject(JsonElement element)
    {
        var result = new PSObject();
        foreach (var property in element.EnumerateObject())
            result.Properties.Add(new PSNoteProperty(property.Name, ToPowerShell(property.Value)));
        return result;
    }

    /// <summary>How deep a body may nest; deeper is almost always a hashtable that contains itself.</summary>
    public const int MaxBodyDepth = 64;

    /// <summary>
    /// A request body from a hashtable, PSCustomObject, array, scalar or JSON text. Text that is not valid
    /// JSON, a value JSON cannot carry, and nesting deeper than <see cref="MaxBodyDepth"/> are errors before
    /// anything is sent.
    /// </summary>
    public static JsonNode? ToJson(object? value)
    {
        // Only the body as a whole may be JSON text; a string inside a hashtable is a string.
        if ((value is PSObject { BaseObject: string } wrapped ? wrapped.BaseObject : value) is string text)
        {
            try { return JsonNode.Parse(text); }
            catch (JsonException ex) { throw new ArgumentException($"The body is not valid JSON: {ex.Message}", nameof(value), ex); }
        }
        return ToJsonValue(value, 0);
    }

    private static JsonNode? ToJsonValue(object? value, int depth)
    {
        if (depth > MaxBodyDepth)
            throw new ArgumentException($"The body nests deeper than {MaxBodyDepth} levels; does a hashtable or object contain itself?", nameof(value));
        value = value is PSObject ps && ps.BaseObject is not PSCustomObject ? ps.BaseObject : value;
        switch (value)
        {
            case null:
                return null;
            case string text:
                return JsonValue.Create(text);
            case bool b:
                return JsonValue.Create(b);
            case IDictionary dictionary:
            {
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                    obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToJsonValue(entry.Value, depth + 1);
                return obj;
            }
            case PSObject custom:
            {
                var obj = new JsonObject();
                foreach (var property in custom.Properties)
                    obj[property.Name] = ToJsonValue(property.Value, depth + 1);
                return obj;
            }
            case IEnumerable sequence:
            {
                var array = new JsonArray();
                foreach (var item in sequence) array.Add(ToJsonValue(item, depth + 1));
                return array;
            }
            case sbyte or byte or short or ushort or int or uint or long:
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case float or double when !double.IsFinite(Convert.ToDouble(value, CultureInfo.InvariantCulture)):
                throw new ArgumentException($"The body holds {Convert.ToString(value, CultureInfo.InvariantCulture)}, which JSON cannot carry (NaN and Infinity are not numbers in JSON).", nameof(value));
            case float or double when Math.Abs(Convert.ToDouble(value, CultureInfo.InvariantCulture)) > (double)decimal.MaxValue:
                return JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case ulong or float or double or decimal:
                return JsonValue.Create(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
            default:
                return JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }
}
