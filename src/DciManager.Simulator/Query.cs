using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DciManager.Simulator;

/// <summary>The filterable paths of one list type, walked once from a fully populated prototype item.</summary>
internal sealed class FieldSet
{
    private readonly HashSet<string> _paths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _split = new(StringComparer.Ordinal);

    public static FieldSet FromPrototype(ReadOnlySpan<byte> json)
    {
        var set = new FieldSet();
        using var doc = JsonDocument.Parse(json.ToArray());
        set.Walk(doc.RootElement, "");
        return set;
    }

    private void Walk(JsonElement e, string prefix)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in e.EnumerateObject())
            {
                var path = prefix.Length == 0 ? p.Name : prefix + "." + p.Name;
                if (_paths.Add(path)) _split[path] = path.Split('.');
                Walk(p.Value, path);
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var x in e.EnumerateArray()) Walk(x, prefix);
        }
    }

    public string[]? Resolve(string path) => _split.TryGetValue(path, out var s) ? s : null;
}

/// <summary>Walks a dotted path through a JSON item; arrays match when any element matches.</summary>
internal static class JsonPath
{
    public static bool Any(JsonElement e, string[] path, int i, Func<JsonElement, bool> pred)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            bool empty = true;
            foreach (var x in e.EnumerateArray())
            {
                empty = false;
                if (Any(x, path, i, pred)) return true;
            }
            return empty && pred(default);
        }
        if (i == path.Length) return pred(e);
        if (e.ValueKind == JsonValueKind.Object && TryGetFirst(e, path[i], out var child)) return Any(child, path, i + 1, pred);
        return pred(default);
    }

    public static JsonElement First(JsonElement e, string[] path)
    {
        for (int i = 0; ; i++)
        {
            if (e.ValueKind == JsonValueKind.Array)
            {
                var en = e.EnumerateArray();
                if (!en.MoveNext()) return default;
                e = en.Current;
            }
            if (i == path.Length) return e;
            if (e.ValueKind != JsonValueKind.Object || !TryGetFirst(e, path[i], out e)) return default;
        }
    }

    /// <summary>
    /// The first property of that name, found from the front: TryGetProperty searches from the back, which
    /// costs a walk over a whole server object for the fields near its start (id, name) that filters use most.
    /// </summary>
    private static bool TryGetFirst(JsonElement e, string name, out JsonElement value)
    {
        foreach (var p in e.EnumerateObject())
        {
            if (p.NameEquals(name))
            {
                value = p.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static bool IsNull(JsonElement e) => e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    private static int Rank(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => 0,
        JsonValueKind.False => 1,
        JsonValueKind.True => 2,
        JsonValueKind.Number => 3,
        JsonValueKind.String => 4,
        _ => 5,
    };

    public static int Compare(JsonElement a, JsonElement b)
    {
        int ra = Rank(a), rb = Rank(b);
        if (ra != rb) return ra.CompareTo(rb);
        return ra switch
        {
            3 => a.GetDouble().CompareTo(b.GetDouble()),
            4 => string.CompareOrdinal(a.GetString(), b.GetString()),
            _ => 0,
        };
    }
}

/// <summary>Parser and compiler of the ISPsystem list filter language (see <see cref="Inferred"/> for the decided parts).</summary>
internal static class WhereParser
{
    private enum K { LParen, RParen, Ident, Str, Num, End }

    private readonly record struct Tok(K Kind, string Text, string Value, string Raw, int Pos);

    private static ApiException Err(string msg) => ApiException.BadRequest("where", "where: " + msg);

    private static List<Tok> Tokenize(string s)
    {
        var list = new List<Tok>();
        int i = 0;
        while (true)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
            if (i >= s.Length) { list.Add(new Tok(K.End, "", "", "", i + 1)); return list; }
            char c = s[i];
            int start = i;
            if (c == '(') { list.Add(new Tok(K.LParen, "(", "(", "(", i + 1)); i++; continue; }
            if (c == ')') { list.Add(new Tok(K.RParen, ")", ")", ")", i + 1)); i++; continue; }
            if (c == '\'')
            {
                var val = new StringBuilder();
                i++;
                bool closed = false;
                while (i < s.Length)
                {
                    char d = s[i];
                    if (d == Inferred.EscapeChar)
                    {
                        if (i + 1 >= s.Length) break;
                        val.Append(s[i + 1]);
                        i += 2;
                        continue;
                    }
                    if (d == '\'') { closed = true; i++; break; }
                    val.Append(d);
                    i++;
                }
                if (!closed) throw Err($"unterminated string starting at position {start + 1}");
                var raw = s.Substring(start + 1, i - start - 2);
                list.Add(new Tok(K.Str, s.Substring(start, i - start), val.ToString(), raw, start + 1));
                continue;
            }
            if (char.IsDigit(c) || ((c == '-' || c == '+') && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                i++;
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.')) i++;
                var text = s.Substring(start, i - start);
                if (i < s.Length && (char.IsLetter(s[i]) || s[i] == '_'))
                {
                    while (i < s.Length && !char.IsWhiteSpace(s[i]) && s[i] != '(' && s[i] != ')') i++;
                    throw Err($"unexpected token '{s.Substring(start, i - start)}' at position {start + 1}");
                }
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw Err($"invalid number '{text}' at position {start + 1}");
                list.Add(new Tok(K.Num, text, text, text, start + 1));
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                i++;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_' || s[i] == '.')) i++;
                var text = s.Substring(start, i - start);
                list.Add(new Tok(K.Ident, text, text, text, start + 1));
                continue;
            }
            throw Err($"unexpected character '{c}' at position {start + 1}");
        }
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    { "AND", "OR", "NOT", "EQ", "NE", "CP", "GT", "LT", "GE", "LE", "IS", "NULL", "TRUE", "FALSE" };

    public static Func<JsonElement, bool> Compile(string text, FieldSet fields)
    {
        var p = new Parser(Tokenize(text), fields);
        var result = p.ParseOr();
        var t = p.Peek;
        if (t.Kind != K.End) throw Unexpected(t);
        return result;
    }

    private static ApiException Unexpected(Tok t) =>
        t.Kind == K.End ? Err("unexpected end of expression") : Err($"unexpected token '{t.Text}' at position {t.Pos}");

    private static bool Is(Tok t, string kw) => t.Kind == K.Ident && string.Equals(t.Text, kw, StringComparison.OrdinalIgnoreCase);

    private sealed class Parser
    {
        private readonly List<Tok> _t;
        private readonly FieldSet _fields;
        private int _i;
        private int _depth;

        public Parser(List<Tok> t, FieldSet fields) { _t = t; _fields = fields; }
        public Tok Peek => _t[_i];
        private Tok Next() { var t = _t[_i]; if (_i < _t.Count - 1) _i++; return t; }

        public Func<JsonElement, bool> ParseOr()
        {
            var left = ParseAnd();
            while (Is(Peek, "OR"))
            {
                Next();
                var l = left; var r = ParseAnd();
                left = e => l(e) || r(e);
            }
            return left;
        }

        private Func<JsonElement, bool> ParseAnd()
        {
            var left = ParseUnary();
            while (Is(Peek, "AND"))
            {
                Next();
                var l = left; var r = ParseUnary();
                left = e => l(e) && r(e);
            }
            return left;
        }

        private Func<JsonElement, bool> ParseUnary()
        {
            if (Is(Peek, "NOT"))
            {
                Next();
                var inner = ParseUnary();
                return e => !inner(e);
            }
            var t = Peek;
            if (t.Kind == K.LParen)
            {
                if (++_depth > 100) throw Err("expression nested too deeply");
                Next();
                var inner = ParseOr();
                if (Peek.Kind != K.RParen)
                {
                    if (Peek.Kind == K.End) throw Err($"missing ')' for '(' at position {t.Pos}");
                    throw Unexpected(Peek);
                }
                Next();
                _depth--;
                return inner;
            }
            return ParseComparison();
        }

        private Func<JsonElement, bool> ParseComparison()
        {
            var f = Next();
            if (f.Kind != K.Ident || Keywords.Contains(f.Text)) throw Unexpected(f);
            var path = _fields.Resolve(f.Text) ?? throw Err($"unknown field '{f.Text}' at position {f.Pos}");
            var op = Next();
            if (op.Kind != K.Ident) throw op.Kind == K.End ? Err($"expected an operator after '{f.Text}'") : Err($"expected an operator after '{f.Text}', found '{op.Text}' at position {op.Pos}");
            var opName = op.Text.ToUpperInvariant();
            if (opName == "IS")
            {
                bool negate = false;
                if (Is(Peek, "NOT")) { Next(); negate = true; }
                var n = Next();
                if (!Is(n, "NULL")) throw Unexpected(n);
                if (negate) return e => JsonPath.Any(e, path, 0, v => !JsonPath.IsNull(v));
                return e => !JsonPath.Any(e, path, 0, v => !JsonPath.IsNull(v));
            }
            if (opName is not ("EQ" or "NE" or "CP" or "GT" or "LT" or "GE" or "LE"))
                throw Err($"unknown operator '{op.Text}' at position {op.Pos}");
            var lt = Next();
            Lit lit;
            if (lt.Kind == K.Str) lit = Lit.FromString(lt.Value, lt.Raw);
            else if (lt.Kind == K.Num) lit = Lit.FromNumber(lt.Text);
            else if (Is(lt, "TRUE")) lit = Lit.FromBool(true);
            else if (Is(lt, "FALSE")) lit = Lit.FromBool(false);
            else if (Is(lt, "NULL")) lit = Lit.Null;
            else if (lt.Kind == K.End) throw Err($"expected a value after '{op.Text}' at position {op.Pos}");
            else throw Unexpected(lt);
            switch (opName)
            {
                case "EQ": return e => JsonPath.Any(e, path, 0, v => lit.Eq(v));
                case "NE": return e => !JsonPath.Any(e, path, 0, v => lit.Eq(v));
                case "CP":
                    var pat = CpPattern.Compile(lit.Kind == LitKind.Str ? lit.Raw : lit.Text);
                    return e => JsonPath.Any(e, path, 0, v => Lit.TextOf(v) is { } s && pat.Match(s));
                case "GT": return e => JsonPath.Any(e, path, 0, v => lit.Order(v) is > 0);
                case "GE": return e => JsonPath.Any(e, path, 0, v => lit.Order(v) is >= 0);
                case "LT": return e => JsonPath.Any(e, path, 0, v => lit.Order(v) is < 0);
                default: return e => JsonPath.Any(e, path, 0, v => lit.Order(v) is <= 0);
            }
        }
    }

    private enum LitKind { Str, Num, Bool, Null }

    private sealed class Lit
    {
        public LitKind Kind;
        public string Text = "";   // the literal as written (numbers) or the unescaped string
        public string Raw = "";    // string content with escapes kept (CP)
        public double Num = double.NaN;
        public bool NumOk;
        public bool Bool;

        public static readonly Lit Null = new() { Kind = LitKind.Null, Text = "null" };
        public static Lit FromString(string value, string raw)
        {
            var l = new Lit { Kind = LitKind.Str, Text = value, Raw = raw };
            l.NumOk = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out l.Num) && value.Trim().Length > 0;
            return l;
        }
        public static Lit FromNumber(string text) => new()
        { Kind = LitKind.Num, Text = text, NumOk = true, Num = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) };
        public static Lit FromBool(bool b) => new() { Kind = LitKind.Bool, Bool = b, Text = b ? "true" : "false" };

        public static string? TextOf(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };

        public bool Eq(JsonElement v)
        {
            switch (v.ValueKind)
            {
                case JsonValueKind.Undefined:
                case JsonValueKind.Null:
                    return Kind == LitKind.Null;
                case JsonValueKind.Number:
                    return NumOk && Kind != LitKind.Bool && v.GetDouble() == Num;
                case JsonValueKind.String:
                    var s = v.GetString()!;
                    return Kind switch
                    {
                        LitKind.Str => s == Text,
                        LitKind.Num => s == Text || (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Num),
                        LitKind.Bool => string.Equals(s, Text, StringComparison.OrdinalIgnoreCase),
                        _ => false,
                    };
                case JsonValueKind.True:
                case JsonValueKind.False:
                    var b = v.ValueKind == JsonValueKind.True;
                    return Kind switch
                    {
                        LitKind.Bool => b == Bool,
                        LitKind.Str => string.Equals(Text, b ? "true" : "false", StringComparison.OrdinalIgnoreCase),
                        _ => false,
                    };
                default:
                    return false;
            }
        }

        /// <summary>Sign of (value - literal), or null when not comparable.</summary>
        public int? Order(JsonElement v)
        {
            if (Kind is LitKind.Null or LitKind.Bool) return null;
            if (v.ValueKind == JsonValueKind.Number)
                return NumOk ? Math.Sign(v.GetDouble().CompareTo(Num)) : null;
            if (v.ValueKind == JsonValueKind.String)
            {
                var s = v.GetString()!;
                if (NumOk && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return Math.Sign(d.CompareTo(Num));
                return Math.Sign(string.CompareOrdinal(s, Text));
            }
            return null;
        }
    }
}

/// <summary>SQL-LIKE pattern with '%' as the only wildcard; backslash escapes; case-insensitive.</summary>
internal sealed class CpPattern
{
    private readonly string[] _parts;

    private CpPattern(string[] parts) { _parts = parts; }

    public static CpPattern Compile(string raw)
    {
        var parts = new List<string>();
        var cur = new StringBuilder();
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c == Inferred.EscapeChar && i + 1 < raw.Length) { cur.Append(raw[++i]); continue; }
            if (c == '%') { parts.Add(cur.ToString()); cur.Clear(); continue; }
            cur.Append(c);
        }
        parts.Add(cur.ToString());
        return new CpPattern(parts.ToArray());
    }

    public bool Match(string s)
    {
        const StringComparison cmp = StringComparison.OrdinalIgnoreCase;
        if (_parts.Length == 1) return string.Equals(s, _parts[0], cmp);
        var first = _parts[0];
        var last = _parts[^1];
        if (s.Length < first.Length + last.Length) return false;
        if (!s.StartsWith(first, cmp)) return false;
        int pos = first.Length;
        int end = s.Length - last.Length;
        for (int i = 1; i < _parts.Length - 1; i++)
        {
            if (_parts[i].Length == 0) continue;
            int idx = s.IndexOf(_parts[i], pos, cmp);
            if (idx < 0 || idx + _parts[i].Length > end) return false;
            pos = idx + _parts[i].Length;
        }
        return s.EndsWith(last, cmp) && pos <= end;
    }
}

/// <summary>where/orderby/limit over a list of JSON items; writes {"list":[...],"size":N}.</summary>
internal static class ListQuery
{
    public static ArrayBufferWriter<byte> Execute<T>(IReadOnlyList<T> items, Func<T, ReadOnlyMemory<byte>> json, Func<T, JsonElement> element,
        FieldSet fields, IQueryCollection query)
    {
        string? where = query.TryGetValue("where", out var wv) ? wv.ToString() : null;
        string? orderby = query.TryGetValue("orderby", out var ov) ? ov.ToString() : null;
        string? limit = query.TryGetValue("limit", out var lv) ? lv.ToString() : null;
        if (string.IsNullOrWhiteSpace(where)) where = null;
        if (string.IsNullOrWhiteSpace(orderby)) orderby = null;

        var (offset, count) = ParseLimit(limit);
        var sorts = orderby is null ? null : ParseOrderBy(orderby, fields);
        var pred = where is null ? null : WhereParser.Compile(where, fields);

        IReadOnlyList<T> selected = items;
        if (pred is not null)
        {
            var l = new List<T>();
            foreach (var it in items) if (pred(element(it))) l.Add(it);
            selected = l;
        }
        if (sorts is not null && selected.Count > 1)
        {
            var keys = new JsonElement[selected.Count][];
            var idx = new int[selected.Count];
            for (int i = 0; i < selected.Count; i++)
            {
                idx[i] = i;
                var el = element(selected[i]);
                var k = new JsonElement[sorts.Count];
                for (int j = 0; j < sorts.Count; j++) k[j] = JsonPath.First(el, sorts[j].Path);
                keys[i] = k;
            }
            Array.Sort(idx, (a, b) =>
            {
                for (int j = 0; j < sorts.Count; j++)
                {
                    int c = JsonPath.Compare(keys[a][j], keys[b][j]);
                    if (c != 0) return sorts[j].Desc ? -c : c;
                }
                return a.CompareTo(b);
            });
            var sorted = new T[selected.Count];
            for (int i = 0; i < idx.Length; i++) sorted[i] = selected[idx[i]];
            selected = sorted;
        }

        int size = selected.Count;
        int from = (int)Math.Min(offset, size);
        int to = (int)Math.Min((long)from + count, size);
        var buf = new ArrayBufferWriter<byte>(Math.Max(256, (to - from) * 512));
        using (var w = Json.Writer(buf))
        {
            w.WriteStartObject();
            w.WriteStartArray("list");
            for (int i = from; i < to; i++) w.WriteRawValue(json(selected[i]).Span, skipInputValidation: true);
            w.WriteEndArray();
            w.WriteNumber("size", size);
            w.WriteEndObject();
        }
        return buf;
    }

    private static (long Offset, long Count) ParseLimit(string? limit)
    {
        if (string.IsNullOrWhiteSpace(limit)) return (0, long.MaxValue);
        var parts = limit.Split(',');
        static bool Num(string s, out long v) => long.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (parts.Length == 1 && Num(parts[0], out var c1)) return (0, c1);
        if (parts.Length == 2 && Num(parts[0], out var o) && Num(parts[1], out var c2)) return (o, c2);
        throw ApiException.BadRequest("limit", $"limit: expected '<offset>,<count>' or '<count>' with non-negative integers, got '{limit}'");
    }

    private sealed record SortKey(string[] Path, bool Desc);

    private static List<SortKey> ParseOrderBy(string orderby, FieldSet fields)
    {
        var list = new List<SortKey>();
        foreach (var part in orderby.Split(','))
        {
            var words = part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length is 0 or > 2) throw ApiException.BadRequest("orderby", $"orderby: expected '<field> asc|desc', got '{part.Trim()}'");
            var path = fields.Resolve(words[0]) ?? throw ApiException.BadRequest("orderby", $"orderby: unknown field '{words[0]}'");
            bool desc = false;
            if (words.Length == 2)
            {
                if (words[1].Equals("desc", StringComparison.OrdinalIgnoreCase)) desc = true;
                else if (!words[1].Equals("asc", StringComparison.OrdinalIgnoreCase))
                    throw ApiException.BadRequest("orderby", $"orderby: invalid direction '{words[1]}' (expected asc or desc)");
            }
            list.Add(new SortKey(path, desc));
        }
        return list;
    }
}
