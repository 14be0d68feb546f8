using System.Buffers;
using System.Text.Json;

namespace DciManager.Client.Http;

/// <summary>
/// The bytes of a JSON answer read so far and not yet consumed, for readers that hand rows on as they arrive
/// (DCImanager 5 and openDCIM send whole lists in one unpaged document). One pooled buffer, grown only for a single
/// value larger than it, up to a bound: memory holds a buffer of rows, never the whole answer.
/// </summary>
internal sealed class DciStreamWindow : IDisposable
{
    private readonly int _maxValueBytes;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public DciStreamWindow(int chunkBytes, int maxValueBytes)
    {
        _maxValueBytes = maxValueBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(chunkBytes);
        HighWater = _buffer.Length;
    }

    /// <summary>What has arrived and was not consumed yet.</summary>
    public ReadOnlySpan<byte> Unread => _buffer.AsSpan(_start, _end - _start);

    /// <summary>The stream has ended: <see cref="Unread"/> is all there will be.</summary>
    public bool Final { get; private set; }

    /// <summary>The largest buffer the read needed (the memory-bound tests read it).</summary>
    public int HighWater { get; private set; }

    public void Consume(int bytes) => _start += bytes;

    /// <summary>Keeps the unread tail, then reads more behind it; a value larger than the bound is an error.</summary>
    public async ValueTask FillAsync(Stream stream, CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxValueBytes)
                throw new JsonException($"A value of the answer is larger than {_maxValueBytes / (1024 * 1024)} MB.");
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
            HighWater = Math.Max(HighWater, _buffer.Length);
        }
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct).ConfigureAwait(false);
        if (read == 0) Final = true;
        _end += read;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
