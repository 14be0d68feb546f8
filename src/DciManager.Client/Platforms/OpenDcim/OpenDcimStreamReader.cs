using System.Runtime.CompilerServices;
using System.Text.Json;
using DciManager.Client.Http;

namespace DciManager.Client.Platforms.OpenDcim;

/// <summary>
/// Reads an openDCIM list answer (<c>{"error":false,"errorcode":200,"device":[...]}</c>, never paged) as it arrives:
/// each element of the result list is handed on as soon as its bytes are in, so memory holds one buffer of rows,
/// never the whole answer. Returns how many rows the list had (-1: the answer had no such list).
/// With no key (IMCO) the answer itself is the list: a bare JSON array.
/// </summary>
internal static class OpenDcimStreamReader
{
    public const int MaxValueBytes = 4 * 1024 * 1024;
    private const int ChunkBytes = 64 * 1024;

    private enum Phase { Root, InRoot, Rows, Done }

    /// <remarks><paramref name="onRows"/> gets the rows each buffer completed, in order, with the index of the first.</remarks>
    public static async ValueTask<int> ReadAsync(Stream stream, string? key, Func<JsonElement[], int, ValueTask> onRows, CancellationToken ct,
        Action<int>? bufferHighWater = null)
    {
        using var window = new DciStreamWindow(ChunkBytes, MaxValueBytes);
        var rows = -1;
        var readerState = new JsonReaderState(new JsonReaderOptions { MaxDepth = 64 });
        var phase = Phase.Root;
        var bomChecked = false;
        while (true)
        {
            if (!bomChecked && (window.Unread.Length >= 3 || window.Final))
            {
                // RFC 8259 lets a reader ignore a leading byte order mark; Utf8JsonReader does not.
                if (window.Unread.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) window.Consume(3);
                bomChecked = true;
            }
            if (!bomChecked)
            {
                await window.FillAsync(stream, ct).ConfigureAwait(false);
                continue;
            }
            var reader = new Utf8JsonReader(window.Unread, window.Final, readerState);
            int rowsStart = -1, rowsEnd = -1, count = 0;
            phase = Step(ref reader, phase, key, ref rows, ref rowsStart, ref rowsEnd, ref count);
            var batch = count == 0 ? null : RowsOf(window.Unread.Slice(rowsStart, rowsEnd - rowsStart), count);
            window.Consume((int)reader.BytesConsumed);
            readerState = reader.CurrentState;
            if (batch is not null)
            {
                var first = rows;
                rows += batch.Length;
                await onRows(batch, first).ConfigureAwait(false);
            }
            if (phase == Phase.Done) break;
            if (window.Final) throw new JsonException("The answer ends before it is complete.");
            await window.FillAsync(stream, ct).ConfigureAwait(false);
        }
        bufferHighWater?.Invoke(window.HighWater);
        return rows;
    }

    /// <summary>
    /// The rows of a GET list (<paramref name="key"/>: the list inside the answer object; null: the answer is the list),
    /// handed on as the answer arrives: the first row is out before the body has been read to its end.
    /// </summary>
    public static async IAsyncEnumerable<JsonElement> StreamAsync(DciTransport transport, DciRequest request, string? key,
        [EnumeratorCancellation] CancellationToken ct)
    {
        // Batches of rows (one per buffer read), so the hand-over costs little per row.
        var queue = System.Threading.Channels.Channel.CreateBounded<JsonElement[]>(new System.Threading.Channels.BoundedChannelOptions(16)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Rows already handed on are not handed on again when a retry reads the list from its start.
        var handedOn = 0;
        async ValueTask OnRows(JsonElement[] rows, int first)
        {
            var skip = handedOn - first;
            if (skip >= rows.Length) return;
            await queue.Writer.WriteAsync(skip > 0 ? rows[skip..] : rows, stop.Token).ConfigureAwait(false);
            handedOn = first + rows.Length;
        }
        Exception? failure = null;
        var producer = Task.Run(async () =>
        {
            try
            {
                var rows = await transport.SendAsync<object>(request,
                    async (stream, c) => await ReadAsync(stream, key, OnRows, c).ConfigureAwait(false),
                    body => ReadAsync(new MemoryStream(body), key, OnRows, stop.Token).AsTask().GetAwaiter().GetResult(),
                    stop.Token).ConfigureAwait(false);
                if (rows is -1)
                    throw new DciApiException($"GET {request.Path}: the answer has no \"{key}\" list.", 200, null, $"The answer has no \"{key}\" list.", null, "GET", request.Path);
            }
            catch (Exception ex) { failure = ex; }
            finally { queue.Writer.TryComplete(); }
        }, CancellationToken.None);
        try
        {
            await foreach (var batch in queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                foreach (var row in batch) yield return row;
        }
        finally
        {
            stop.Cancel();
            try { await producer.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
        // Reached only when every row was read (a consumer that stops early never gets here).
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }


    /// <summary>
    /// The complete rows one buffer held, parsed as one small array document: one parse per buffer, not one per row,
    /// and the rows keep only their own buffer's bytes alive.
    /// </summary>
    private static JsonElement[] RowsOf(ReadOnlySpan<byte> rows, int count)
    {
        var bytes = new byte[rows.Length + 2];
        bytes[0] = (byte)'[';
        rows.CopyTo(bytes.AsSpan(1));
        bytes[^1] = (byte)']';
        var list = JsonDocument.Parse(bytes).RootElement;
        var batch = new JsonElement[count];
        var i = 0;
        foreach (var row in list.EnumerateArray()) batch[i++] = row;
        return batch;
    }

    /// <summary>Consumes as many whole tokens or values as the buffer holds; a value cut by the buffer's end waits for more.</summary>
    /// <param name="rowsStart">Where the first complete row of this buffer starts (-1: none).</param>
    /// <param name="rowsEnd">Where its last complete row ends.</param>
    private static Phase Step(ref Utf8JsonReader reader, Phase phase, string? key, ref int rows, ref int rowsStart, ref int rowsEnd, ref int count)
    {
        while (phase != Phase.Done)
        {
            var before = reader;
            switch (phase)
            {
                case Phase.Root:
                    if (!reader.Read()) return phase;
                    if (key is null)
                    {
                        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("The answer is not a JSON list.");
                        rows = 0;
                        phase = Phase.Rows;
                        break;
                    }
                    if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("The answer is not an openDCIM JSON object.");
                    phase = Phase.InRoot;
                    break;
                case Phase.InRoot:
                    if (!reader.Read()) return phase;
                    if (reader.TokenType == JsonTokenType.EndObject) return Phase.Done;
                    var isList = reader.ValueTextEquals(key);
                    if (!reader.Read()) { reader = before; return phase; }
                    if (isList && reader.TokenType == JsonTokenType.StartArray)
                    {
                        rows = 0;
                        phase = Phase.Rows;
                        break;
                    }
                    if (isList) throw new JsonException($"The answer's \"{key}\" is not a list.");
                    if (!reader.TrySkip()) { reader = before; return phase; }
                    break;
                case Phase.Rows:
                    if (!reader.Read()) return phase;
                    if (reader.TokenType == JsonTokenType.EndArray) { phase = key is null ? Phase.Done : Phase.InRoot; break; }
                    var rowStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip()) { reader = before; return phase; }
                    if (rowsStart < 0) rowsStart = rowStart;
                    rowsEnd = (int)reader.BytesConsumed;
                    count++;
                    break;
            }
        }
        return phase;
    }
}
