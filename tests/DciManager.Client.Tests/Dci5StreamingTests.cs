using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DciManager.Client;
using DciManager.Client.Platforms.Dci5;
using DciManager.Simulator;

namespace DciManager.Client.Tests;

/// <summary>DCImanager 5 lists come in one document: the client hands servers on while it arrives, in bounded memory.</summary>
public sealed class Dci5StreamingTests
{
    private const string AuthDoc = """{"doc":{"$func":"auth","auth":{"$id":"0123456789abcdef01234567","$level":"28"}}}""";

    private static string Row(int id) =>
        "{\"id\":{\"$\":\"" + id.ToString(CultureInfo.InvariantCulture) + "\"},\"name\":{\"$\":\"db-" + id.ToString("D5", CultureInfo.InvariantCulture)
        + "\"},\"rack\":{\"$\":\"Rack0001 " + (id % 40).ToString(CultureInfo.InvariantCulture) + "\"},\"poweron\":{}}";

    [Fact]
    public async Task The_first_server_reaches_the_caller_before_the_body_is_read_to_its_end()
    {
        var head = Encoding.UTF8.GetBytes("""{"doc":{"$lang":"en","$func":"server","elem":[""" + Row(1) + ",");
        var tail = Encoding.UTF8.GetBytes(string.Join(",", Enumerable.Range(2, 500).Select(Row)) + "]}}");
        await AssertFirstServerArrivesBeforeTheTailAsync(head, tail, "application/json", AuthDoc, "application/json",
            uri => HostileServer.Options(uri, timeout: TimeSpan.FromSeconds(60)));
    }

    /// <summary>
    /// Sends a 501-server list in two parts and holds the tail back until the client has handed on the first server, so
    /// the list provably streams (the json and the xml reader alike).
    /// </summary>
    internal static async Task AssertFirstServerArrivesBeforeTheTailAsync(byte[] head, byte[] tail, string contentType, string authDoc,
        string authContentType, Func<Uri, DciConnectionOptions> options)
    {
        var firstArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tailSent = false;
        await using var hostile = HostileServer.Start(async (request, stream, ct) =>
        {
            if (request.BodyText.Contains("func=auth", StringComparison.Ordinal)) return await HostileServer.Reply(stream, 200, authDoc, authContentType, ct: ct);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {head.Length + tail.Length}\r\n\r\n"), ct);
            await stream.WriteAsync(head, ct);
            await stream.FlushAsync(ct);
            // The rest is held back until the client has handed on the first server (the timeout only guards against a hang).
            await Task.WhenAny(firstArrived.Task, Task.Delay(TimeSpan.FromSeconds(30), ct));
            tailSent = true;
            await stream.WriteAsync(tail, ct);
            await stream.FlushAsync(ct);
            return true;
        });
        using var connection = await DciConnection.ConnectDci5Async(options(hostile.BaseUri),
            new NetworkCredential("admin", "pw"));

        var count = 0;
        await foreach (var server in connection.ServerOps.ListAsync())
        {
            if (count++ == 0)
            {
                Assert.Equal(1, server.Id);
                Assert.False(tailSent, "the first server arrived only after the whole body was sent");
                firstArrived.SetResult();
            }
        }
        Assert.Equal(501, count);
    }

    [Fact]
    public async Task Reading_20000_servers_keeps_one_small_buffer()
    {
        var rows = 0;
        var highWater = 0;
        await using var body = new GeneratedDocStream(20_000);
        var doc = await Dci5StreamReader.ReadAsync(body, (batch, first) =>
        {
            for (var i = 0; i < batch.Count; i++)
                Assert.Equal(first + i + 1, int.Parse(Dci5Doc.Text(JsonDocument.Parse(batch[i]).RootElement, "id")!, CultureInfo.InvariantCulture));
            rows += batch.Count;
            return ValueTask.CompletedTask;
        }, default, high => highWater = high);
        Assert.Equal(20_000, rows);
        Assert.Equal(20_000, doc.Rows);
        Assert.Equal("server", Dci5Doc.Attribute(doc.Doc, "func"));
        Assert.True(body.Length > 1_500_000, $"the document is {body.Length} bytes");
        Assert.True(highWater <= 128 * 1024, $"the reader grew its buffer to {highWater} bytes");
    }

    [Fact]
    public async Task A_20000_server_inventory_streams_from_the_simulator()
    {
        await using var sim = await Sim.StartAsync(o => { o.Platform = SimulatedPlatform.DCImanager5; o.Servers = 20_000; o.AdminPassword = "s5-pw"; });
        using var admin = await DciConnection.ConnectDci5Async(Sim.Options(sim), new NetworkCredential("admin", "s5-pw"));
        var count = 0;
        long last = 0;
        await foreach (var server in admin.ServerOps.ListAsync())
        {
            Assert.True(server.Id > last);
            last = server.Id;
            count++;
        }
        Assert.Equal(20_000, count);
        // Select-Object -First 1: stopping early ends the read without an error.
        await foreach (var _ in admin.ServerOps.ListAsync()) break;
    }

    [Fact]
    public async Task An_error_doc_and_a_doc_cut_short_are_errors_not_empty_lists()
    {
        var answers = new Queue<string>(new[]
        {
            """{"doc":{"$func":"server","error":{"$type":"access","$object":"","msg":{"$":"Access denied"}}}}""",
            """{"doc":{"$func":"server","elem":[""" + Row(1) + ",",
            """{"doc":{"$func":"server","elem":""" + Row(7) + "}}",
        });
        await using var hostile = HostileServer.Start((request, stream, ct) =>
            request.BodyText.Contains("func=auth", StringComparison.Ordinal)
                ? HostileServer.Reply(stream, 200, AuthDoc, ct: ct)
                : HostileServer.Reply(stream, 200, answers.Dequeue(), ct: ct));
        using var connection = await DciConnection.ConnectDci5Async(HostileServer.Options(hostile.BaseUri), new NetworkCredential("admin", "pw"));
        var access = await Assert.ThrowsAsync<DciApiException>(() => connection.ServerOps.ListAsync().ToListAsync());
        Assert.Equal(DciErrorKind.PermissionDenied, access.Kind);
        await Assert.ThrowsAsync<DciApiException>(() => connection.ServerOps.ListAsync().ToListAsync());
        var single = Assert.Single(await connection.ServerOps.ListAsync().ToListAsync());
        Assert.Equal(7, single.Id);
    }

    /// <summary>A list doc of <c>rows</c> servers, produced as it is read (the test never holds it whole either).</summary>
    private sealed class GeneratedDocStream : Stream
    {
        private readonly int _rows;
        private int _next = 1;
        private byte[] _pending = Encoding.UTF8.GetBytes("""{"doc":{"$lang":"en","$func":"server","$binary":"/dcimgr","elem":[""");
        private int _offset;
        private bool _ended;

        public GeneratedDocStream(int rows) => _rows = rows;

        public override long Length => _length;
        private long _length;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                if (_ended) return 0;
                if (_next <= _rows)
                {
                    var sb = new StringBuilder();
                    for (var i = 0; i < 50 && _next <= _rows; i++, _next++) sb.Append(_next > 1 ? "," : "").Append(Row(_next));
                    _pending = Encoding.UTF8.GetBytes(sb.ToString());
                }
                else
                {
                    _pending = Encoding.UTF8.GetBytes("]}}");
                    _ended = true;
                }
                _offset = 0;
            }
            var n = Math.Min(count, _pending.Length - _offset);
            Array.Copy(_pending, _offset, buffer, offset, n);
            _offset += n;
            _length += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
