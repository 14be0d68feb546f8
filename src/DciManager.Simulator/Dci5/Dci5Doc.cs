using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DciManager.Simulator.Dci5;

/// <summary>
/// One element of a COREmanager 5 document: a name, optional text, attributes and children. A flag is an element
/// with neither text nor children. One tree is rendered to every out= mode, as the reference advises.
/// </summary>
internal sealed class Node
{
    public readonly string Name;
    public string? Text;
    public List<KeyValuePair<string, string>>? Attrs;
    public List<Node>? Children;

    public Node(string name, string? text = null) { Name = name; Text = text; }

    /// <summary>Adds a text child; null adds nothing, so optional fields read naturally.</summary>
    public Node Add(string name, string? text)
    {
        if (text is not null) (Children ??= new()).Add(new Node(name, text));
        return this;
    }

    /// <summary>Adds a list-row field, left out when empty (<see cref="Dci5Inferred.ListsOmitEmptyFields"/>).</summary>
    public Node Field(string name, string? text) => string.IsNullOrEmpty(text) ? this : Add(name, text);

    public Node Flag(string name, bool on = true)
    {
        if (on) (Children ??= new()).Add(new Node(name));
        return this;
    }

    public Node Attr(string name, string value)
    {
        (Attrs ??= new()).Add(new(name, value));
        return this;
    }

    public Node Child(Node child)
    {
        (Children ??= new()).Add(child);
        return this;
    }

    public bool IsLeaf => Children is null || Children.Count == 0;
}

/// <summary>Renders a doc tree as xml, json, sjson or JSONdata, streaming to the response in chunks.</summary>
internal static class Dci5Render
{
    private const int FlushBytes = 32 * 1024;
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static string ContentType(string mode) => mode == "xml" ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";

    public static async Task WriteAsync(PipeWriter pipe, Node doc, string mode, bool singleRowAsObject, CancellationToken ct)
    {
        switch (mode)
        {
            case "json":
            case "sjson":
                await WriteJsonAsync(pipe, doc, strict: mode == "sjson", singleRowAsObject, ct);
                break;
            case "JSONdata":
                await WriteJsonDataAsync(pipe, doc, ct);
                break;
            default:
                await WriteXmlAsync(pipe, doc, ct);
                break;
        }
        await pipe.FlushAsync(ct);
    }

    // ------------------------------------------------------------------ json / sjson

    private static async Task WriteJsonAsync(PipeWriter pipe, Node doc, bool strict, bool singleRowAsObject, CancellationToken ct)
    {
        using var w = new Utf8JsonWriter(pipe, WriterOptions);
        long flushed = 0;
        w.WriteStartObject();
        w.WritePropertyName("doc");
        w.WriteStartObject();
        WriteAttrsAndText(w, doc);
        foreach (var (name, group) in Groups(doc))
        {
            bool array = group.Count > 1 || (!singleRowAsObject && Array.IndexOf(Dci5Inferred.AlwaysArrays, name) >= 0);
            w.WritePropertyName(name);
            if (array) w.WriteStartArray();
            foreach (var child in group)
            {
                WriteJsonNode(w, child, 1, strict, singleRowAsObject);
                // BytesPending alone stays small: the writer hands full buffers to the pipe as it goes.
                if (w.BytesCommitted + w.BytesPending - flushed > FlushBytes)
                {
                    w.Flush();
                    flushed = w.BytesCommitted;
                    await pipe.FlushAsync(ct);
                }
            }
            if (array) w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteJsonNode(Utf8JsonWriter w, Node node, int depth, bool strict, bool singleRowAsObject)
    {
        w.WriteStartObject();
        WriteAttrsAndText(w, node);
        if (node.Children is { } children && AllNamesDistinct(children))
        {
            // The common case (a row, a form field): no grouping needed, so no per-row allocation.
            foreach (var child in children)
            {
                bool single = !(strict && depth >= 1) && (singleRowAsObject || Array.IndexOf(Dci5Inferred.AlwaysArrays, child.Name) < 0);
                w.WritePropertyName(child.Name);
                if (!single) w.WriteStartArray();
                WriteJsonNode(w, child, depth + 1, strict, singleRowAsObject);
                if (!single) w.WriteEndArray();
            }
            w.WriteEndObject();
            return;
        }
        foreach (var (name, group) in Groups(node))
        {
            bool array = group.Count > 1 || (strict && depth >= 1) || (!singleRowAsObject && Array.IndexOf(Dci5Inferred.AlwaysArrays, name) >= 0);
            w.WritePropertyName(name);
            if (array) w.WriteStartArray();
            foreach (var child in group) WriteJsonNode(w, child, depth + 1, strict, singleRowAsObject);
            if (array) w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteAttrsAndText(Utf8JsonWriter w, Node node)
    {
        if (node.Attrs is not null) foreach (var a in node.Attrs) w.WriteString("$" + a.Key, a.Value);
        if (node.Text is not null) w.WriteString("$", node.Text);
    }

    private static bool AllNamesDistinct(List<Node> children)
    {
        if (children.Count > 32) return false;
        for (int i = 1; i < children.Count; i++)
            for (int j = 0; j < i; j++)
                if (string.Equals(children[i].Name, children[j].Name, StringComparison.Ordinal)) return false;
        return true;
    }

    /// <summary>Children grouped by name, in the order each name first appears.</summary>
    private static List<(string Name, List<Node> Group)> Groups(Node node)
    {
        var result = new List<(string, List<Node>)>();
        if (node.Children is null) return result;
        Dictionary<string, List<Node>>? index = null;
        foreach (var c in node.Children)
        {
            List<Node>? g = null;
            if (result.Count < 8)
            {
                foreach (var (n, list) in result) if (n == c.Name) { g = list; break; }
            }
            else
            {
                index ??= result.ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
                index.TryGetValue(c.Name, out g);
            }
            if (g is null)
            {
                g = new List<Node>();
                result.Add((c.Name, g));
                index?.Add(c.Name, g);
            }
            g.Add(c);
        }
        return result;
    }

    // ------------------------------------------------------------------ JSONdata

    private static async Task WriteJsonDataAsync(PipeWriter pipe, Node doc, CancellationToken ct)
    {
        using var w = new Utf8JsonWriter(pipe, WriterOptions);
        long flushed = 0;
        var rows = doc.Children?.Where(c => c.Name == "elem").ToList();
        if (rows is { Count: > 0 })
        {
            w.WriteStartArray();
            foreach (var row in rows)
            {
                WriteFlat(w, row);
                // BytesPending alone stays small: the writer hands full buffers to the pipe as it goes.
                if (w.BytesCommitted + w.BytesPending - flushed > FlushBytes)
                {
                    w.Flush();
                    flushed = w.BytesCommitted;
                    await pipe.FlushAsync(ct);
                }
            }
            w.WriteEndArray();
        }
        else
        {
            WriteFlat(w, doc, skipAttrs: true);
        }
        w.Flush();
    }

    private static void WriteFlat(Utf8JsonWriter w, Node node, bool skipAttrs = false)
    {
        w.WriteStartObject();
        if (!skipAttrs && node.Attrs is not null) foreach (var a in node.Attrs) w.WriteString(a.Key, a.Value);
        foreach (var (name, group) in Groups(node))
        {
            w.WritePropertyName(name);
            if (group.Count > 1) w.WriteStartArray();
            foreach (var c in group)
            {
                if (c.IsLeaf && c.Attrs is null) w.WriteStringValue(c.Text ?? Dci5Inferred.FlagJsonData);
                else WriteFlat(w, c);
            }
            if (group.Count > 1) w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    // ------------------------------------------------------------------ xml

    private static async Task WriteXmlAsync(PipeWriter pipe, Node doc, CancellationToken ct)
    {
        var sb = new StringBuilder(4096);
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<doc");
        AppendAttrs(sb, doc);
        if (doc.IsLeaf) { sb.Append("/>\n"); Write(pipe, sb); return; }
        sb.Append('>');
        foreach (var child in doc.Children!)
        {
            AppendXml(sb, child);
            if (sb.Length > FlushBytes)
            {
                Write(pipe, sb);
                sb.Clear();
                await pipe.FlushAsync(ct);
            }
        }
        sb.Append("</doc>\n");
        Write(pipe, sb);
    }

    private static void Write(PipeWriter pipe, StringBuilder sb)
    {
        foreach (var chunk in sb.GetChunks())
        {
            var span = pipe.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            pipe.Advance(Encoding.UTF8.GetBytes(chunk.Span, span));
        }
    }

    private static void AppendXml(StringBuilder sb, Node node)
    {
        sb.Append('<').Append(node.Name);
        AppendAttrs(sb, node);
        if (node.Text is null && node.IsLeaf) { sb.Append("/>"); return; }
        sb.Append('>');
        if (node.Text is not null) AppendEscaped(sb, node.Text);
        if (node.Children is not null) foreach (var c in node.Children) AppendXml(sb, c);
        sb.Append("</").Append(node.Name).Append('>');
    }

    private static void AppendAttrs(StringBuilder sb, Node node)
    {
        if (node.Attrs is null) return;
        foreach (var a in node.Attrs)
        {
            sb.Append(' ').Append(a.Key).Append("=\"");
            AppendEscaped(sb, a.Value);
            sb.Append('"');
        }
    }

    private static void AppendEscaped(StringBuilder sb, string text)
    {
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '"': sb.Append("&quot;"); break;
                default:
                    if (ch < 0x20 && ch is not '\t' and not '\n' and not '\r') sb.Append("&#x").Append(((int)ch).ToString("x")).Append(';');
                    else sb.Append(ch);
                    break;
            }
        }
    }
}
