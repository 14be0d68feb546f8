using System.Text.Json;
using DciManager.Client.Http;

namespace DciManager.Client.Platforms.Dci5;

/// <summary>A doc read by <see cref="Dci5StreamReader"/>: everything but its rows, and how many rows it had.</summary>
internal sealed class Dci5StreamedDoc
{
    public Dci5StreamedDoc(JsonElement doc, int rows)
    {
        Doc = doc;
        Rows = rows;
    }

    /// <summary>The doc object without its "elem" rows (attributes, error, other fields).</summary>
    public JsonElement Doc { get; }

    public int Rows { get; }
}

/// <summary>
/// Reads a DCImanager 5 list doc as it arrives: each "elem" row is handed on (as its own JSON bytes) as soon as it is in, so the
/// first server reaches the pipeline before the body has been read to its end, and memory holds one buffer of rows
/// (never the whole document), however many servers the panel has. Other fields of the doc are kept for the error check.
/// </summary>
internal static class Dci5StreamReader
{
    /// <summary>No single row or field may be larger than this: a runaway value is an error, not unbounded growth.</summary>
    public const int MaxValueBytes = 4 * 1024 * 1024;

    private const int ChunkBytes = 64 * 1024;

    private enum Phase { Root, InRoot, DocStart, InDoc, Rows, AfterDoc, Done }

    private sealed class State
    {
        public Phase Phase;
        public string? Property;
        public readonly Dictionary<string, JsonElement> Fields = new(StringComparer.Ordinal);
        public readonly List<byte[]> Ready = new();
        public int Rows;
    }

    /// <summary>Reads the doc from <paramref name="stream"/>, calling <paramref name="onRows"/> with each batch of rows (and the index of its first row), in order.</summary>
    /// <remarks>The largest buffer this read needed is reported to <paramref name="bufferHighWater"/> (for the memory bound tests).</remarks>
    public static async ValueTask<Dci5StreamedDoc> ReadAsync(Stream stream, Func<IReadOnlyList<byte[]>, int, ValueTask> onRows, CancellationToken ct,
        Action<int>? bufferHighWater = null)
    {
        using var window = new DciStreamWindow(ChunkBytes, MaxValueBytes);
        var readerState = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 });
        var state = new State();
        while (true)
        {
            var data = window.Unread;
            var reader = new Utf8JsonReader(data, window.Final, readerState);
            Step(ref reader, data, state);
            window.Consume((int)reader.BytesConsumed);
            readerState = reader.CurrentState;
            if (state.Ready.Count > 0)
            {
                // Handed on a buffer's worth at a time: one hand-off per batch of rows, not per row.
                await onRows(state.Ready.ToArray(), state.Rows).ConfigureAwait(false);
                state.Rows += state.Ready.Count;
                state.Ready.Clear();
            }
            if (state.Phase == Phase.Done) break;
            if (window.Final) throw new JsonException("The document ends before it is complete.");
            await window.FillAsync(stream, ct).ConfigureAwait(false);
        }
        bufferHighWater?.Invoke(window.HighWater);
        return new Dci5StreamedDoc(BuildDoc(state.Fields), state.Rows);
    }

    /// <summary>Advances through as many tokens as the buffer holds; a value cut by the buffer's end is left for the next round.</summary>
    private static void Step(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, State state)
    {
        while (state.Phase != Phase.Done)
        {
            var before = reader;
            switch (state.Phase)
            {
                case Phase.Root:
                    if (!reader.Read()) return;
                    if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("The answer is not a DCImanager 5 document (no \"doc\" object).");
                    state.Phase = Phase.InRoot;
                    break;
                case Phase.InRoot:
                case Phase.AfterDoc:
                    if (!reader.Read()) return;
                    if (reader.TokenType == JsonTokenType.EndObject)
                    {
                        if (state.Phase == Phase.InRoot) throw new JsonException("The answer is not a DCImanager 5 document (no \"doc\" object).");
                        state.Phase = Phase.Done;
                        break;
                    }
                    if (state.Phase == Phase.InRoot && reader.GetString() == "doc")
                    {
                        state.Phase = Phase.DocStart;
                        break;
                    }
                    if (!reader.TrySkip()) { reader = before; return; }
                    break;
                case Phase.DocStart:
                    if (!reader.Read()) return;
                    if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("The answer's \"doc\" is not an object.");
                    state.Phase = Phase.InDoc;
                    break;
                case Phase.InDoc when state.Property is null:
                    if (!reader.Read()) return;
                    if (reader.TokenType == JsonTokenType.EndObject) { state.Phase = Phase.AfterDoc; break; }
                    state.Property = reader.GetString() ?? "";
                    break;
                case Phase.InDoc:
                {
                    if (!reader.Read()) return;
                    if (state.Property == "elem" && reader.TokenType == JsonTokenType.StartArray)
                    {
                        state.Property = null;
                        state.Phase = Phase.Rows;
                        break;
                    }
                    // A one-row list may arrive as a bare object instead of an array.
                    if (state.Property == "elem" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        if (!TryTakeRow(ref reader, data, state)) { reader = before; return; }
                        state.Property = null;
                        break;
                    }
                    var value = reader;
                    if (!JsonElement.TryParseValue(ref value, out var parsed)) { reader = before; return; }
                    reader = value;
                    state.Fields[state.Property!] = parsed!.Value;
                    state.Property = null;
                    break;
                }
                case Phase.Rows:
                {
                    if (!reader.Read()) return;
                    if (reader.TokenType == JsonTokenType.EndArray) { state.Phase = Phase.InDoc; break; }
                    if (reader.TokenType == JsonTokenType.StartObject ? !TryTakeRow(ref reader, data, state) : !reader.TrySkip()) { reader = before; return; }
                    break;
                }
            }
        }
    }

    /// <summary>
    /// Takes the row object starting at the reader's StartObject as its own bytes (the reader skips over it, building
    /// no document); false when the buffer ends inside it.
    /// </summary>
    private static bool TryTakeRow(ref Utf8JsonReader reader, ReadOnlySpan<byte> data, State state)
    {
        var from = (int)reader.TokenStartIndex;
        if (!reader.TrySkip()) return false;
        state.Ready.Add(data[from..(int)reader.BytesConsumed].ToArray());
        return true;
    }

    private static JsonElement BuildDoc(Dictionary<string, JsonElement> fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in fields)
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }
}
