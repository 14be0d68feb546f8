using System.Text;

namespace DciManager.Client.Http;

/// <summary>
/// Passes a response body through to the JSON parser while keeping its first bytes, so that a body that
/// cannot be parsed is still described in the error ("what came back") without buffering a whole page.
/// It also checks that the body is UTF-8 as it passes: the parser does not look inside the values it
/// keeps as unknown fields, and a bad byte there would fail only later, in the user's hands.
/// </summary>
internal sealed class PrefixCaptureStream : Stream
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Decoder _utf8 = StrictUtf8.GetDecoder();
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private int _captured;
    private bool _ended;
    private bool _invalidUtf8;
    private long _total;

    private readonly long _limit;

    public PrefixCaptureStream(Stream inner, int capacity, long limit = long.MaxValue)
    {
        _inner = inner;
        _prefix = new byte[capacity];
        _limit = limit;
    }

    /// <summary>The first bytes read so far (all of them when <see cref="WholeBodyCaptured"/>).</summary>
    public byte[] Prefix => _prefix[.._captured];

    /// <summary>The body ended within the capture, so <see cref="Prefix"/> is the whole body.</summary>
    public bool WholeBodyCaptured => _ended && _total == _captured;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Capture(buffer.Span[..read]);
        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        Capture(buffer.AsSpan(offset, read));
        return read;
    }

    /// <summary>Reads what is left of a short body, so that it can be judged whole.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[4096];
        while (!_ended && _total <= _prefix.Length)
            await ReadAsync(scratch, cancellationToken).ConfigureAwait(false);
    }

    private void Capture(ReadOnlySpan<byte> read)
    {
        if (read.Length == 0) _ended = true;
        _total += read.Length;
        // The parser would buffer a huge string or number whole: stop at the limit of one answer.
        if (_total > _limit) throw new ResponseTooLargeException();
        var room = Math.Min(read.Length, _prefix.Length - _captured);
        if (room > 0)
        {
            read[..room].CopyTo(_prefix.AsSpan(_captured));
            _captured += room;
        }

        if (_invalidUtf8) return;
        try
        {
            _utf8.GetCharCount(read, flush: read.Length == 0);
        }
        catch (DecoderFallbackException)
        {
            // Reported once, to the parser that is reading; draining what is left must not throw again.
            _invalidUtf8 = true;
            throw;
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A body grew past the limit of one answer while it was being parsed.</summary>
internal sealed class ResponseTooLargeException : IOException
{
    public ResponseTooLargeException() : base("the answer is larger than the limit") { }
}
