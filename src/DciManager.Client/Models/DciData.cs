using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DciManager.Client;

/// <summary>
/// Nested JSON data (hardware info, settings, progress, fields no type models) as plain .NET objects that
/// PowerShell navigates and serializes: a JSON object is a DciData (keys without regard to case, so
/// <c>$server.HardwareInfo.cpu.cores</c> works), an array a <see cref="DciDataList"/>, numbers Int64 (or
/// Double when they have a fraction), strings, booleans and null. ToString gives compact JSON, so a CSV
/// cell or a table column shows the data, not a type name.
/// </summary>
public sealed class DciData : Dictionary<string, object?>
{
    public DciData() : base(StringComparer.OrdinalIgnoreCase) { }

    /// <summary>The .NET value of a JSON element: DciData, DciDataList, long, double, string, bool or null.</summary>
    public static object? FromJson(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var data = new DciData();
                foreach (var property in element.EnumerateObject()) data[property.Name] = FromJson(property.Value);
                return data;
            case JsonValueKind.Array:
                var list = new DciDataList();
                foreach (var item in element.EnumerateArray()) list.Add(FromJson(item));
                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                // Boxed apart: a conditional over long and double would make every number a double.
                return element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    /// <summary>Fields kept from a JSON object, each converted as <see cref="FromJson"/> does.</summary>
    public static DciData FromFields(IEnumerable<KeyValuePair<string, JsonElement>> fields)
    {
        var data = new DciData();
        foreach (var (name, value) in fields) data[name] = FromJson(value);
        return data;
    }

    public override string ToString() => DciDataText.ToJsonText(this);
}

/// <summary>A JSON array inside <see cref="DciData"/>; ToString gives compact JSON.</summary>
public sealed class DciDataList : List<object?>
{
    public override string ToString() => DciDataText.ToJsonText(this);
}

/// <summary>
/// Nested data as the JSON reader kept it (a cheap clone), turned into <see cref="DciData"/> on first read:
/// a list of ten thousand servers pays for the conversion only where someone looks.
/// </summary>
internal sealed class DciLazyData
{
    private object? _value;
    private bool _converted;

    public DciLazyData(JsonElement? json) => Json = json;

    /// <summary>Data the engine made itself (e.g. a DCImanager 5 state), not read from JSON.</summary>
    public static DciLazyData Of(object? value) => new(null) { _value = value, _converted = true };

    public JsonElement? Json { get; }

    public object? Value
    {
        get
        {
            if (!_converted)
            {
                _value = Json is { } json ? DciData.FromJson(json) : null;
                _converted = true;
            }
            return _value;
        }
    }
}

/// <summary>A list of typed objects (a server's addresses, its switch ports) that reads well in a table cell or a CSV file.</summary>
public sealed class DciCollection<T> : List<T>
{
    public override string ToString() => string.Join(", ", this.Select(item => item?.ToString()).Where(text => !string.IsNullOrEmpty(text)));
}

/// <summary>Writes the objects of <see cref="DciData"/> back as compact JSON (their ToString).</summary>
internal static class DciDataText
{
    internal static string ToJsonText(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) WriteValue(writer, value);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case IEnumerable<KeyValuePair<string, object?>> fields:
                writer.WriteStartObject();
                foreach (var (name, item) in fields)
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, item);
                }
                writer.WriteEndObject();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case long whole:
                writer.WriteNumberValue(whole);
                break;
            case double real:
                writer.WriteNumberValue(real);
                break;
            case IEnumerable<object?> items:
                writer.WriteStartArray();
                foreach (var item in items) WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
