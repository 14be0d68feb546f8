using System.Globalization;
using System.Text.Json;

namespace DciManager.Simulator.OpenDcim;

internal enum OdKind
{
    /// <summary>A MySQL integer column: a JSON number on GET.</summary>
    Int,
    /// <summary>A string column (null allowed).</summary>
    Str,
    /// <summary>Computed per caller (Rights): not stored, not filterable.</summary>
    Dynamic,
}

internal sealed record OdField(string Name, OdKind Kind, int Slot, bool Public);

/// <summary>The properties of one openDCIM class, in the order json_encode writes them.</summary>
internal sealed class OdSchema
{
    public OdSchema(string idName, IEnumerable<(string Name, OdKind Kind)> fields, IEnumerable<string>? publicFields = null)
    {
        var pub = new HashSet<string>(publicFields ?? Array.Empty<string>(), StringComparer.Ordinal);
        var list = new List<OdField>();
        int ints = 0, strs = 0;
        foreach (var (name, kind) in fields)
            list.Add(new OdField(name, kind, kind switch { OdKind.Int => ints++, OdKind.Str => strs++, _ => -1 }, pub.Contains(name)));
        Fields = list.ToArray();
        IntCount = ints;
        StrCount = strs;
        // PHP property names are case-sensitive: "label" is not "Label" (it becomes an ignored dynamic property).
        ByName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        Id = ByName[idName];
    }

    public OdField[] Fields { get; }
    public Dictionary<string, OdField> ByName { get; }
    public OdField Id { get; }
    public int IntCount { get; }
    public int StrCount { get; }

    public OdField this[string name] => ByName[name];

    public OdRecord New() => new(this);
}

/// <summary>One row. Published rows are never mutated: writers clone, change and swap (readers stream without a lock).</summary>
internal sealed class OdRecord
{
    public OdRecord(OdSchema schema)
    {
        Schema = schema;
        Ints = new long[schema.IntCount];
        Strs = new string?[schema.StrCount];
        foreach (var f in schema.Fields) if (f.Kind == OdKind.Str) Strs[f.Slot] = "";
    }

    private OdRecord(OdRecord other)
    {
        Schema = other.Schema;
        Ints = (long[])other.Ints.Clone();
        Strs = (string?[])other.Strs.Clone();
    }

    public OdSchema Schema { get; }
    public long[] Ints { get; }
    public string?[] Strs { get; }

    public long Id => Ints[Schema.Id.Slot];

    public OdRecord Clone() => new(this);

    public long Int(string name) => Ints[Schema[name].Slot];
    public string? Str(string name) => Strs[Schema[name].Slot];

    public OdRecord Set(string name, long value) { Ints[Schema[name].Slot] = value; return this; }
    public OdRecord Set(string name, string? value) { Strs[Schema[name].Slot] = value; return this; }

    /// <summary>Stores a request value as the class would after MakeSafe: intval for numbers, the text otherwise.</summary>
    public void SetText(OdField f, string text)
    {
        if (f.Kind == OdKind.Int) Ints[f.Slot] = PhpInt(text);
        else if (f.Kind == OdKind.Str) Strs[f.Slot] = text;
    }

    /// <summary>The value as MySQL would compare it in LIKE (its text form), null for SQL NULL.</summary>
    public string? Text(OdField f) => f.Kind switch
    {
        OdKind.Int => Ints[f.Slot].ToString(CultureInfo.InvariantCulture),
        OdKind.Str => Strs[f.Slot],
        _ => null,
    };

    /// <summary>PHP intval: the leading integer of the text, 0 when there is none.</summary>
    public static long PhpInt(string? text)
    {
        if (string.IsNullOrEmpty(text)) return 0;
        var s = text.AsSpan().TrimStart(" \t\n\r\v\f");
        int i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+')) i++;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return long.TryParse(s[..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    /// <summary>MySQL's cast of a string compared with an integer column: its leading number, else 0.</summary>
    public static double MySqlNumber(string text)
    {
        var s = text.AsSpan().TrimStart(" \t\n\r");
        int i = 0;
        if (i < s.Length && (s[i] == '-' || s[i] == '+')) i++;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i < s.Length && s[i] == '.') { i++; while (i < s.Length && char.IsAsciiDigit(s[i])) i++; }
        return double.TryParse(s[..i], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
    }
}

/// <summary>One list query: equality (or, with <c>wildcards</c>, LIKE "%v%") filters and an <c>attributes=</c> trim.</summary>
internal sealed class OdQuery
{
    public List<(OdField Field, string Value)> Filters { get; } = new();
    public bool Loose { get; set; }
    /// <summary>null = every property; otherwise the <c>attributes=</c> list in its own order.</summary>
    public string[]? Attributes { get; set; }

    /// <summary>Builds the query the way the 23.x GET routes do: WILDCARDS and ATTRIBUTES by case-insensitive name,
    /// every other name that is a property of the class becomes a filter, unknown names are ignored.</summary>
    public static OdQuery From(OdSchema schema, IReadOnlyDictionary<string, string> parameters)
    {
        var q = new OdQuery();
        foreach (var (name, value) in parameters)
        {
            if (name.Equals("wildcards", StringComparison.OrdinalIgnoreCase)) q.Loose = true;
            else if (name.Equals("attributes", StringComparison.OrdinalIgnoreCase)) q.Attributes = value.Split(',');
            else if (schema.ByName.TryGetValue(name, out var f) && f.Kind != OdKind.Dynamic)
            {
                if (OpenDcimInferred.EmptyFilterValueIgnored && value.Length == 0) continue;
                q.Filters.Add((f, value));
            }
        }
        return q;
    }

    public bool Matches(OdRecord r)
    {
        foreach (var (f, v) in Filters)
        {
            if (Loose)
            {
                var text = r.Text(f);
                if (text is null || !Like(text, v)) return false;
            }
            else if (f.Kind == OdKind.Int)
            {
                if (r.Ints[f.Slot] != OdRecord.MySqlNumber(v)) return false;
            }
            else
            {
                // utf8_general_ci: equality ignores case (and trailing spaces, PAD SPACE).
                var text = r.Strs[f.Slot];
                if (text is null || !string.Equals(text.TrimEnd(' '), v.TrimEnd(' '), StringComparison.OrdinalIgnoreCase)) return false;
            }
        }
        return true;
    }

    /// <summary>MySQL <c>text LIKE '%v%'</c>, case-insensitive; % and _ in v keep their LIKE meaning, \ escapes.</summary>
    internal static bool Like(string text, string v)
    {
        if (v.IndexOfAny(['%', '_', '\\']) < 0) return text.Contains(v, StringComparison.OrdinalIgnoreCase);
        return LikeAt(text, 0, "%" + v + "%", 0);
    }

    private static bool LikeAt(string s, int si, string p, int pi)
    {
        while (pi < p.Length)
        {
            char c = p[pi];
            if (c == '%')
            {
                while (pi < p.Length && p[pi] == '%') pi++;
                if (pi == p.Length) return true;
                for (int k = si; k <= s.Length; k++) if (LikeAt(s, k, p, pi)) return true;
                return false;
            }
            if (si >= s.Length) return false;
            if (c == '_') { si++; pi++; continue; }
            if (c == '\\' && pi + 1 < p.Length) { pi++; c = p[pi]; }
            if (char.ToUpperInvariant(c) != char.ToUpperInvariant(s[si])) return false;
            si++; pi++;
        }
        return si == s.Length;
    }
}

/// <summary>Writes rows the way PHP's json_encode writes the class objects.</summary>
internal static class OdWriter
{
    /// <summary>Rights of one row for the caller, or null when the class has no Rights property.</summary>
    public delegate string? RightsOf(OdRecord r);

    /// <summary>GET form: ints as numbers. <paramref name="redact"/> nulls the non-public fields (Rights "None").</summary>
    public static void Write(Utf8JsonWriter w, OdRecord r, string[]? attributes, string? rights, bool redact,
        Action<Utf8JsonWriter, OdRecord, bool>? trailer = null)
    {
        w.WriteStartObject();
        bool wroteDataCenter = false;
        if (attributes is null)
        {
            foreach (var f in r.Schema.Fields) WriteField(w, r, f, rights, redact, skipNull: false);
            wroteDataCenter = r.Schema.ByName.ContainsKey("DataCenterID");
        }
        else
        {
            // specifyAttributes: in the list's order, only names that are set (isset: null values drop out).
            HashSet<string>? seen = attributes.Length > 1 ? new(StringComparer.Ordinal) : null;
            foreach (var name in attributes)
            {
                if (!r.Schema.ByName.TryGetValue(name, out var f) || (seen is not null && !seen.Add(name))) continue;
                if (WriteField(w, r, f, rights, redact, skipNull: true) && name == "DataCenterID") wroteDataCenter = true;
            }
        }
        trailer?.Invoke(w, r, wroteDataCenter);
        w.WriteEndObject();
    }

    private static bool WriteField(Utf8JsonWriter w, OdRecord r, OdField f, string? rights, bool redact, bool skipNull)
    {
        bool hidden = redact && !f.Public;
        switch (f.Kind)
        {
            case OdKind.Int:
                if (hidden) { if (skipNull) return false; w.WriteNull(f.Name); return true; }
                w.WriteNumber(f.Name, r.Ints[f.Slot]);
                return true;
            case OdKind.Str:
                var s = hidden ? null : r.Strs[f.Slot];
                if (s is null) { if (skipNull) return false; w.WriteNull(f.Name); return true; }
                w.WriteString(f.Name, s);
                return true;
            default:
                if (rights is null) { if (skipNull) return false; w.WriteNull(f.Name); return true; }
                w.WriteString(f.Name, rights);
                return true;
        }
    }

    /// <summary>
    /// The in-memory object a create/update route answers with: <paramref name="asGiven"/> holds the request's values
    /// (always strings, as PHP received them). On create (<paramref name="allStrings"/>) every other value is a string
    /// too and unset values are "" (whatever the database default), the id is the new id as a string; on update the
    /// untouched values keep their types.
    /// </summary>
    public static void WriteInMemory(Utf8JsonWriter w, OdRecord r, IReadOnlyDictionary<string, string> asGiven, bool allStrings)
    {
        w.WriteStartObject();
        foreach (var f in r.Schema.Fields)
        {
            if (f == r.Schema.Id)
            {
                if (allStrings) w.WriteString(f.Name, r.Id.ToString(CultureInfo.InvariantCulture));
                else w.WriteNumber(f.Name, r.Id);
            }
            else if (asGiven.TryGetValue(f.Name, out var given)) w.WriteString(f.Name, given);
            else if (f.Kind == OdKind.Int)
            {
                if (allStrings) w.WriteString(f.Name, "");
                else w.WriteNumber(f.Name, r.Ints[f.Slot]);
            }
            else if (f.Kind == OdKind.Str)
            {
                var s = allStrings ? "" : r.Strs[f.Slot];
                if (s is null) w.WriteNull(f.Name); else w.WriteString(f.Name, s);
            }
            else w.WriteString(f.Name, "");
        }
        w.WriteEndObject();
    }
}
