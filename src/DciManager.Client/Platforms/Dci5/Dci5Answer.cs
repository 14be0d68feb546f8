using System.Text.Json;
using DciManager.Client.Models;

namespace DciManager.Client.Platforms.Dci5;

/// <summary>
/// Picks the reader of a DCImanager 5 answer by what the body is, not by what was asked: a body whose first character
/// (after a byte order mark and white space) is '&lt;' is XML, anything else json. A panel or proxy that ignores out=json
/// is then read, not reported as an unreadable body. Both readers yield the same doc shape (see <see cref="Dci5XmlReader"/>).
/// </summary>
internal static class Dci5Answer
{
    /// <summary>A whole answer: {"doc":{...}} from json or XML.</summary>
    public static async ValueTask<object?> ReadAsync(Stream stream, CancellationToken ct)
    {
        var (xml, body) = await SniffAsync(stream, ct).ConfigureAwait(false);
        return xml
            ? await Dci5XmlReader.ReadAnswerAsync(body, ct).ConfigureAwait(false)
            : await JsonSerializer.DeserializeAsync(body, DciJsonContext.Default.JsonElement, ct).ConfigureAwait(false);
    }

    /// <summary>A whole answer read from its bytes (a traced body, or one that holds a secret).</summary>
    public static JsonElement Read(byte[] body) =>
        IsXml(body) ? Dci5XmlReader.ReadAnswer(body) : JsonSerializer.Deserialize(body, DciJsonContext.Default.JsonElement);

    /// <summary>A list answer, its rows handed on as they arrive, from json or XML.</summary>
    public static async ValueTask<Dci5StreamedDoc> ReadListAsync(Stream stream, Func<IReadOnlyList<byte[]>, int, ValueTask> onRows, CancellationToken ct)
    {
        var (xml, body) = await SniffAsync(stream, ct).ConfigureAwait(false);
        return xml
            ? await Dci5XmlReader.ReadListAsync(body, onRows, ct).ConfigureAwait(false)
            : await Dci5StreamReader.ReadAsync(body, onRows, ct).ConfigureAwait(false);
    }

    internal static bool IsXml(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(s_bom)) body = body[s_bom.Length..];
        foreach (var b in body)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') continue;
            return b == (byte)'<';
        }
        return false;
    }

    private static readonly byte[] s_bom = { 0xEF, 0xBB, 0xBF };

    /// <summary>Reads up to the first meaningful byte, then gives back a stream that replays what was read before the rest.</summary>
    private static async ValueTask<(bool Xml, Stream Body)> SniffAsync(Stream stream, CancellationToken ct)
    {
        var head = new byte[512];
        var length = 0;
        while (length < head.Length)
        {
            var read = await stream.ReadAsync(head.AsMemory(length), ct).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
            if (Meaningful(head.AsSpan(0, length))) break;
        }
        return (IsXml(head.AsSpan(0, length)), new ReplayStream(head, length, stream));
    }

    private static bool Meaningful(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)) return true;
        return false;
    }

    /// <summary>The sniffed bytes, then the rest of the body.</summary>
    private sealed class ReplayStream : Stream
    {
        private readonly byte[] _head;
        private readonly int _length;
        private readonly Stream _rest;
        private int _offset;

        public ReplayStream(byte[] head, int length, Stream rest)
        {
            _head = head;
            _length = length;
            _rest = rest;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset < _length) return Take(buffer.Span);
            return await _rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) =>
            _offset < _length ? Take(buffer.AsSpan(offset, count)) : _rest.Read(buffer, offset, count);

        private int Take(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, _length - _offset);
            _head.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
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
