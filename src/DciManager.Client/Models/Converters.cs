using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DciManager.Client.Models;

/// <summary>A count or id that the API may send as a number, a numeric string, an empty string or null.</summary>
internal sealed class FlexibleInt64Converter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var l)) return l;
                return Clamp(reader.GetDouble());
            case JsonTokenType.String:
                var s = reader.GetString();
                if (string.IsNullOrWhiteSpace(s)) return null;
                if (long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out l)) return l;
                if (double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return Clamp(d);
                return null;
            case JsonTokenType.True: return 1;
            case JsonTokenType.False: return 0;
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>Counters beyond long (an IPv6 /64 has 2^64 addresses) are clamped to <see cref="long.MaxValue"/>.</summary>
    private static long? Clamp(double d) =>
        double.IsNaN(d) ? null : d >= long.MaxValue ? long.MaxValue : d <= long.MinValue ? long.MinValue : (long)Math.Round(d);

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteNumberValue(value.Value);
    }
}

/// <summary>
/// A task id: a whole number from 1 to <see cref="long.MaxValue"/>, as a number or a numeric string. Anything
/// else (true, 2.6, 1e300, -5) makes the answer malformed: waiting on a guessed id would report an unrelated task.
/// </summary>
internal sealed class TaskIdConverter : JsonConverter<long?>
{
    public override bool HandleNull => true;

    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out var n) && n > 0:
                return n;
            case JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0:
                return s;
            default:
                throw new JsonException($"The task id is not a positive whole number ({Describe(ref reader)}).");
        }
    }

    internal static string Describe(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) return reader.TokenType == JsonTokenType.StartObject ? "an object" : "an array";
        var raw = reader.HasValueSequence ? System.Text.Encoding.UTF8.GetString(System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence)) : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        return raw.Length > 40 ? raw[..40] + "..." : raw;
    }

    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteNumberValue(value.Value);
    }
}

/// <summary>The id of a task object itself: required, with the rules of <see cref="TaskIdConverter"/>.</summary>
internal sealed class RequiredTaskIdConverter : JsonConverter<long>
{
    private static readonly TaskIdConverter s_inner = new();

    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        s_inner.Read(ref reader, typeof(long?), options) ?? throw new JsonException("The task id is null.");

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}

/// <summary>A boolean the API may send as true/false, 0/1, "on"/"off", "true"/"false", "yes"/"no".</summary>
internal sealed class FlexibleBooleanConverter : JsonConverter<bool?>
{
    public override bool HandleNull => true;

    public override bool? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number: return reader.TryGetInt64(out var n) ? n != 0 : reader.GetDouble() != 0;
            case JsonTokenType.String:
                var s = reader.GetString()?.Trim().ToLowerInvariant();
                return s switch
                {
                    "true" or "on" or "yes" or "1" or "y" => true,
                    "false" or "off" or "no" or "0" or "n" => false,
                    _ => null,
                };
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, bool? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteBooleanValue(value.Value);
    }
}

/// <summary>An address family as 2/10, "2"/"10" or "ipv4"/"ipv6".</summary>
internal sealed class AddressFamilyConverter : JsonConverter<int?>
{
    public override bool HandleNull => true;

    public override int? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number: return reader.TryGetInt32(out var i) ? i : null;
            case JsonTokenType.String:
                var s = reader.GetString()?.Trim().ToLowerInvariant();
                if (string.IsNullOrEmpty(s)) return null;
                if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out i)) return i;
                return s switch { "ipv4" or "inet" => 2, "ipv6" or "inet6" => 10, _ => null };
            default:
                reader.Skip();
                return null;
        }
    }

    public override void Write(Utf8JsonWriter writer, int? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteNumberValue(value.Value);
    }
}

/// <summary>Roles as a JSON array (<c>["@admin"]</c>) or as the documented string form (<c>"[@user]"</c>, <c>"@user,@admin"</c>).</summary>
internal sealed class RolesConverter : JsonConverter<List<string>>
{
    public override bool HandleNull => true;

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var roles = new List<string>();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return roles;
            case JsonTokenType.String:
                AddFromString(roles, reader.GetString());
                return roles;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.String) AddFromString(roles, reader.GetString());
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                    else if (reader.TokenType == JsonTokenType.Number) roles.Add(reader.GetDouble().ToString(CultureInfo.InvariantCulture));
                }
                return roles;
            default:
                reader.Skip();
                return roles;
        }
    }

    private static void AddFromString(List<string> roles, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        foreach (var part in text.Trim().Trim('[', ']').Split(new[] { ',', ' ', ';' }, StringSplitOptions.RemoveEmptyEntries))
        {
            var role = part.Trim().Trim('"', '\'');
            if (role.Length > 0) roles.Add(role);
        }
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var r in value ?? new List<string>()) writer.WriteStringValue(r);
        writer.WriteEndArray();
    }
}

/// <summary>Timestamps as "YYYY-MM-DD HH:MM:SS" (UTC), ISO 8601, or Unix seconds.</summary>
internal sealed class FlexibleDateTimeOffsetConverter : JsonConverter<DateTimeOffset?>
{
    public override bool HandleNull => true;

    private static readonly string[] s_formats =
    {
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd",
    };

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null: return null;
            case JsonTokenType.Number:
                // Beyond year 9999 FromUnixTimeSeconds throws ArgumentOutOfRangeException, which would escape the serializer.
                return reader.TryGetInt64(out var secs) && secs > 0 && secs <= MaxUnixSeconds ? DateTimeOffset.FromUnixTimeSeconds(secs) : null;
            case JsonTokenType.String:
                return Parse(reader.GetString());
            default:
                reader.Skip();
                return null;
        }
    }

    internal static DateTimeOffset? Parse(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return null;
        s = s.Trim();
        if (DateTime.TryParseExact(s, s_formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var dt))
            return new DateTimeOffset(dt, TimeSpan.Zero);
        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dto)) return dto;
        return null;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else writer.WriteStringValue(value.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
    }
}

/// <summary>A non-nullable count: null, "" or garbage read as 0; numeric strings accepted.</summary>
internal sealed class LenientInt32Converter : JsonConverter<int>
{
    public override bool HandleNull => true;

    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetInt32(out var i) ? i : (int)Math.Clamp(Math.Round(reader.GetDouble()), int.MinValue, int.MaxValue);
            case JsonTokenType.String:
                return int.TryParse(reader.GetString()?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out i) ? i : 0;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return 0;
            default:
                return 0;
        }
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
