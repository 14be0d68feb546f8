using System.Text;
using System.Text.Json;
using System.Xml;

namespace DciManager.Client.Platforms.Dci5;

/// <summary>
/// Reads COREmanager 5's native XML answer (out=xml) into the very JSON shape out=json has: an element is an object,
/// its attributes "$name" keys, its text "$", an empty element (a flag) {}, and a repeated child an array. So the one
/// row mapping (<see cref="Dci5Doc"/>, <see cref="Dci5Client.MapServer"/>) reads both formats, and nothing downstream
/// knows which came. Forward-only (XmlReader): a list's rows are handed on as they arrive, like <see cref="Dci5StreamReader"/>,
/// with the same bounds. No DTD is processed and nothing is resolved, so an entity bomb or an external entity
/// (XXE) is an error before it can expand or read anything.
/// </summary>
internal static class Dci5XmlReader
{
    /// <summary>Elements may nest this deep (the json reader's MaxDepth); deeper is an error, not recursion.</summary>
    public const int MaxDepth = 64;

    private static readonly XmlReaderSettings s_settings = new()
    {
        Async = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        // COREmanager writes control characters as character references (&#x1;); the json path accepts them too.
        CheckCharacters = false,
        CloseInput = false,
    };

    /// <summary>
    /// Reads a list doc as it arrives, calling <paramref name="onRows"/> with rows (each one's JSON bytes, in the doc shape)
    /// and the index of the first; rows are handed on whenever the reader would otherwise wait for the network.
    /// </summary>
    /// <remarks>The most bytes read for one row (its own plus the reader's read-ahead) go to <paramref name="bufferHighWater"/>.</remarks>
    public static async ValueTask<Dci5StreamedDoc> ReadListAsync(Stream stream, Func<IReadOnlyList<byte[]>, int, ValueTask> onRows, CancellationToken ct,
        Action<int>? bufferHighWater = null)
    {
        var bounded = new ElementBoundStream(stream, Dci5StreamReader.MaxValueBytes, ct);
        using var reader = XmlReader.Create(bounded, s_settings);
        var pending = new List<byte[]>();
        var handedOn = 0;
        // The doc beside its rows: attributes and fields, never text of its own.
        var fields = new Element("doc", empty: true);
        var fieldChars = 0;
        var rowWriter = new RowWriter();

        async ValueTask Flush()
        {
            if (pending.Count == 0) return;
            var batch = pending.ToArray();
            pending.Clear();
            await onRows(batch, handedOn).ConfigureAwait(false);
            handedOn += batch.Length;
        }

        async ValueTask<bool> Next()
        {
            var read = reader.ReadAsync();
            // Rows already read reach the caller before the reader waits for more of the body.
            if (!read.IsCompleted) await Flush().ConfigureAwait(false);
            return await read.ConfigureAwait(false);
        }

        try
        {
            if (!await MoveToRootAsync(reader, Next).ConfigureAwait(false)) throw new XmlException("The answer has no root element.");
            if (reader.Name != "doc") throw new XmlException($"The answer is not a DCImanager 5 document (its root is <{reader.Name}>, not <doc>).");
            var root = StartElement(reader, int.MaxValue, out _);
            fields.Attributes = root.Attributes;
            if (!root.Empty)
            {
                while (await Next().ConfigureAwait(false))
                {
                    if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == 0) break;
                    if (reader.NodeType != XmlNodeType.Element) continue;
                    bounded.Mark();
                    var element = await ReadElementAsync(reader, Dci5StreamReader.MaxValueBytes, Next).ConfigureAwait(false);
                    if (element.Name == "elem") pending.Add(ToJson(element, rowWriter));
                    else
                    {
                        fieldChars += element.Chars;
                        if (fieldChars > Dci5StreamReader.MaxValueBytes)
                            throw new XmlException($"The fields of the answer beside its rows are larger than {Dci5StreamReader.MaxValueBytes / (1024 * 1024)} MB.");
                        fields.Add(element);
                    }
                }
            }
            // What follows the doc must be nothing (the reader refuses a second root or text).
            while (await Next().ConfigureAwait(false)) { }
            await Flush().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or EncoderFallbackException)
        {
            throw Unreadable(ex);
        }
        bufferHighWater?.Invoke(bounded.HighWater);
        using var doc = JsonDocument.Parse(ToJson(fields));
        return new Dci5StreamedDoc(doc.RootElement.Clone(), handedOn);
    }

    /// <summary>A whole answer as the json path's answer: {"root":{...}} (a root other than doc is then refused the same way).</summary>
    public static async ValueTask<JsonElement> ReadAnswerAsync(Stream stream, CancellationToken ct)
    {
        // A form or report may be large: only the answer's own limit (MaxResponseBytes) bounds it, as in json.
        var bounded = new ElementBoundStream(stream, int.MaxValue, ct);
        using var reader = XmlReader.Create(bounded, s_settings);
        ValueTask<bool> Next() => new(reader.ReadAsync());
        try
        {
            if (!await MoveToRootAsync(reader, Next).ConfigureAwait(false)) throw new XmlException("The answer has no root element.");
            var root = await ReadElementAsync(reader, int.MaxValue, Next).ConfigureAwait(false);
            while (await Next().ConfigureAwait(false)) { }
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WritePropertyName(root.Name);
                Write(writer, root);
                writer.WriteEndObject();
            }
            using var doc = JsonDocument.Parse(buffer.ToArray());
            return doc.RootElement.Clone();
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or EncoderFallbackException)
        {
            throw Unreadable(ex);
        }
    }

    public static JsonElement ReadAnswer(byte[] body) => ReadAnswerAsync(new MemoryStream(body, writable: false), default).AsTask().GetAwaiter().GetResult();

    // An encoding the runtime lacks, or text JSON cannot carry (a lone surrogate): unreadable, said as such.
    private static XmlException Unreadable(Exception ex) => new($"The XML answer cannot be read: {ex.Message}", ex);

    private static async ValueTask<bool> MoveToRootAsync(XmlReader reader, Func<ValueTask<bool>> next)
    {
        while (await next().ConfigureAwait(false))
            if (reader.NodeType == XmlNodeType.Element) return true;
        return false;
    }

    /// <summary>One element and everything in it, read iteratively (no recursion however deep the input tries to go).</summary>
    private static async ValueTask<Element> ReadElementAsync(XmlReader reader, int maxChars, Func<ValueTask<bool>> next)
    {
        var root = StartElement(reader, maxChars, out var chars);
        if (root.Empty) return root;
        var open = new Stack<Element>();
        open.Push(root);
        var baseDepth = reader.Depth;
        while (await next().ConfigureAwait(false))
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                {
                    if (reader.Depth > MaxDepth) throw new XmlException($"The answer nests elements deeper than {MaxDepth} levels.");
                    var child = StartElement(reader, maxChars - chars, out var used);
                    chars += used;
                    open.Peek().Add(child);
                    if (!child.Empty) open.Push(child);
                    break;
                }
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                {
                    var text = await reader.GetValueAsync().ConfigureAwait(false);
                    chars += text.Length;
                    if (chars > maxChars) throw TooLarge();
                    open.Peek().AppendText(text);
                    break;
                }
                case XmlNodeType.EndElement:
                    open.Pop();
                    if (reader.Depth == baseDepth)
                    {
                        root.Chars = chars;
                        return root;
                    }
                    break;
            }
        }
        throw new XmlException("The answer ends inside an element.");
    }

    private static Element StartElement(XmlReader reader, int maxChars, out int chars)
    {
        var element = new Element(reader.Name, reader.IsEmptyElement);
        chars = element.Name.Length;
        if (reader.MoveToFirstAttribute())
        {
            do
            {
                // Namespace declarations are markup, not data the json shape has.
                if (reader.Name == "xmlns" || reader.Name.StartsWith("xmlns:", StringComparison.Ordinal)) continue;
                chars += reader.Name.Length + reader.Value.Length;
                (element.Attributes ??= new()).Add(new(reader.Name, reader.Value));
            } while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }
        if (chars > maxChars) throw TooLarge();
        element.Chars = chars;
        return element;
    }

    private static XmlException TooLarge() => new($"An element of the answer is larger than {Dci5StreamReader.MaxValueBytes / (1024 * 1024)} MB.");

    private static byte[] ToJson(Element element) => ToJson(element, new RowWriter());

    private static byte[] ToJson(Element element, RowWriter rows)
    {
        rows.Buffer.ResetWrittenCount();
        rows.Writer.Reset(rows.Buffer);
        Write(rows.Writer, element);
        rows.Writer.Flush();
        return rows.Buffer.WrittenSpan.ToArray();
    }

    /// <summary>One buffer and writer reused for every row of a list (a row's bytes are copied out).</summary>
    private sealed class RowWriter
    {
        public readonly System.Buffers.ArrayBufferWriter<byte> Buffer = new(1024);
        public readonly Utf8JsonWriter Writer;

        public RowWriter() => Writer = new Utf8JsonWriter(Buffer);
    }

    /// <summary>The json doc shape of an element: "$name" attributes, "$" text (absent for a flag), children grouped by name in order.</summary>
    private static void Write(Utf8JsonWriter writer, Element element)
    {
        writer.WriteStartObject();
        if (element.Attributes is not null)
            foreach (var (name, value) in element.Attributes) writer.WriteString("$" + name, value);
        var text = element.Text;
        if (element.Children is null)
        {
            // <a></a> is empty text, <a/> a flag, as out=json tells {"$":""} from {}.
            if (!element.Empty) writer.WriteString("$", text ?? "");
        }
        else if (!string.IsNullOrWhiteSpace(text))
        {
            writer.WriteString("$", text);
        }
        if (element.Children is { } children)
        {
            if (AllNamesDistinct(children))
            {
                // The common case (a row, a form): no grouping, no allocation.
                foreach (var child in children)
                {
                    writer.WritePropertyName(child.Name);
                    Write(writer, child);
                }
                writer.WriteEndObject();
                return;
            }
            foreach (var (name, group) in Groups(children))
            {
                writer.WritePropertyName(name);
                if (group.Count == 1)
                {
                    Write(writer, group[0]);
                    continue;
                }
                writer.WriteStartArray();
                foreach (var child in group) Write(writer, child);
                writer.WriteEndArray();
            }
        }
        writer.WriteEndObject();
    }

    private static bool AllNamesDistinct(List<Element> children)
    {
        if (children.Count > 32) return false;
        for (var i = 1; i < children.Count; i++)
            for (var j = 0; j < i; j++)
                if (string.Equals(children[i].Name, children[j].Name, StringComparison.Ordinal)) return false;
        return true;
    }

    private static List<(string Name, List<Element> Group)> Groups(List<Element> children)
    {
        var groups = new List<(string, List<Element>)>();
        var byName = new Dictionary<string, List<Element>>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            if (!byName.TryGetValue(child.Name, out var group))
            {
                group = new List<Element>();
                byName[child.Name] = group;
                groups.Add((child.Name, group));
            }
            group.Add(child);
        }
        return groups;
    }

    private sealed class Element
    {
        public Element(string name, bool empty)
        {
            Name = name;
            Empty = empty;
        }

        public string Name { get; }

        /// <summary>Written as &lt;name/&gt; (or &lt;name attr=".."/&gt;): no text at all.</summary>
        public bool Empty { get; }

        public List<KeyValuePair<string, string>>? Attributes { get; set; }
        private string? _text;
        private StringBuilder? _texts;

        /// <summary>The element's text: its text nodes joined (almost always one, kept without a copy).</summary>
        public string? Text => _texts?.ToString() ?? _text;
        public List<Element>? Children { get; private set; }

        /// <summary>Characters of names, attributes and text in this element (the one-element bound).</summary>
        public int Chars { get; set; }

        public void Add(Element child) => (Children ??= new()).Add(child);

        public void AppendText(string text)
        {
            if (_text is null) _text = text;
            else (_texts ??= new StringBuilder(_text)).Append(text);
        }
    }

    /// <summary>
    /// Counts what the XmlReader pulls from the body since the current row began: a single attribute or text the reader
    /// would buffer whole (it has no limit of its own) is stopped at the one-element bound, not at the end of the body.
    /// </summary>
    private sealed class ElementBoundStream : Stream
    {
        // The reader reads ahead by its own buffer (64 KB in async mode): allowed on top of the element's bound.
        private const int ReadAhead = 128 * 1024;
        private readonly Stream _inner;
        private readonly long _limit;
        private readonly CancellationToken _ct;
        private long _sinceMark;

        public ElementBoundStream(Stream inner, int maxElementBytes, CancellationToken ct)
        {
            _inner = inner;
            _limit = (long)maxElementBytes + ReadAhead;
            _ct = ct;
        }

        /// <summary>The most bytes read for one element (with the read-ahead).</summary>
        public int HighWater { get; private set; }

        public void Mark() => _sinceMark = 0;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(_ct, cancellationToken);
            var read = await _inner.ReadAsync(buffer, both.Token).ConfigureAwait(false);
            Count(read);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            Count(read);
            return read;
        }

        private void Count(int read)
        {
            _sinceMark += read;
            if (_sinceMark > HighWater) HighWater = (int)Math.Min(int.MaxValue, _sinceMark);
            if (_sinceMark > _limit) throw TooLarge();
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
