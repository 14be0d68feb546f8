namespace DciManager.Client.Http;

/// <summary>
/// The plaintext stream of one HTTP/1.1 connection, counting each request that starts on it against the
/// logical call that sends it. SocketsHttpHandler silently sends a request again on a fresh connection when
/// a reused one closes before answering; this is the one place that sees those sends, so the reported attempt
/// count is what the server saw and the retry bound holds on the wire. A request beyond the call's budget is
/// refused before any byte of it is written.
/// </summary>
internal sealed class WireCountingStream : Stream
{
    /// <summary>The call whose request the current async flow is sending (HTTP/1.1 writes on the caller's flow).</summary>
    internal static readonly AsyncLocal<IWireBudget?> CurrentCall = new();

    private readonly Stream _inner;
    private volatile bool _awaitingRequest = true;

    public WireCountingStream(Stream inner) => _inner = inner;

    private void BeforeWrite(int count)
    {
        if (count == 0 || !_awaitingRequest) return;
        // HTTP/1.1 without pipelining: the first write after an answer (or on a new connection) starts a request.
        if (CurrentCall.Value is { } call && !call.TryStartWireRequest())
            throw new WireBudgetExceededException();
        _awaitingRequest = false;
    }

    private void AfterRead(int read)
    {
        if (read > 0) _awaitingRequest = true;
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        BeforeWrite(count);
        _inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        BeforeWrite(buffer.Length);
        _inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BeforeWrite(buffer.Length);
        return _inner.WriteAsync(buffer, cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        AfterRead(read);
        return read;
    }

    public override int Read(Span<byte> buffer)
    {
        var read = _inner.Read(buffer);
        AfterRead(read);
        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        await ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        AfterRead(read);
        return read;
    }

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override bool CanRead => _inner.CanRead;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => _inner.DisposeAsync();
}

/// <summary>What a logical call allows on the wire.</summary>
internal interface IWireBudget
{
    /// <summary>Counts one more request on the wire; false when the call may send no more.</summary>
    bool TryStartWireRequest();
}

/// <summary>A request the call's budget does not allow; nothing of it was written.</summary>
internal sealed class WireBudgetExceededException : IOException
{
    public WireBudgetExceededException() : base("the retry limit was reached on the wire") { }
}
