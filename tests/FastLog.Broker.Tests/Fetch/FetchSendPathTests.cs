using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests.Fetch;

/// <summary>
/// Fetch responses sent from the segment file (sendfile, socket.fetch.zero.copy=true) and through a copy (false)
/// deliver exactly the bytes that were produced, to real clients, under concurrency and while retention deletes the
/// segment being sent. Only what a client observes is asserted.
/// </summary>
public sealed class FetchSendPathTests : IDisposable
{
    private const int EightMiB = 8 * 1024 * 1024;

    /// <summary>The data dirs of this test's brokers (tens of MiB each), removed once the test is over.</summary>
    private readonly List<string> _dataDirs = [];

    public void Dispose()
    {
        foreach (var dir in _dataDirs)
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_confluent_and_kcat_consumers_read_a_large_partition_back_byte_for_byte(bool zeroCopy)
    {
        await using var broker = await StartAsync(zeroCopy);
        var topic = TestTopics.Unique("fetch");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, new Dictionary<string, string> { ["segment.bytes"] = "4194304" });
        var produced = await ProduceAsync(broker, topic, totalBytes: 12 * 1024 * 1024);

        // Fetches of up to 8 MiB: every response is a region spanning many batches, and reading crosses segments.
        var confluent = Enumerable.Range(0, 6).Select(_ => Task.Run(() => ReadWithConfluent(broker, topic))).ToList();
        var kcat = Kcat.RunAsync(broker, ["-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-f", "%k:%s\n", "-X", $"fetch.message.max.bytes={EightMiB}"]);

        foreach (var read in await Task.WhenAll(confluent))
        {
            AssertSameMessages(produced, read);
        }
        var result = await kcat;
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(string.Concat(produced.Select(m => $"{m.Key}:{m.Value}\n")) == Encoding.ASCII.GetString(result.Stdout), "kcat's output differs from what was produced");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_fetch_being_sent_from_a_segment_that_retention_deletes_arrives_whole_and_valid(bool zeroCopy)
    {
        await using var broker = await StartAsync(zeroCopy);
        var topic = TestTopics.Unique("fetchdel");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, new Dictionary<string, string>
        {
            ["segment.bytes"] = "6291456",
            ["file.delete.delay.ms"] = "0", // the renamed file is unlinked at once: only the open descriptor keeps it readable
        });
        var produced = await ProduceAsync(broker, topic, totalBytes: 9 * 1024 * 1024);
        var segmentFile = Path.Combine(broker.DataDir, $"{topic}-0", $"{0:D20}.log");
        Assert.True(File.Exists(segmentFile));

        // A reader with a small window stalls the send: the 6 MiB region cannot fit in the socket buffers (4 MiB at most).
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 16 * 1024 };
        await socket.ConnectAsync("127.0.0.1", broker.Port);
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(FetchFrame(topic, offset: 0, maxBytes: EightMiB));
        // The frame header and the first record bytes have arrived, so the send is under way from the segment.
        var start = new byte[4096];
        await stream.ReadExactlyAsync(start);

        using (var admin = Clients.Admin(broker))
        {
            await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, produced.Count)]);
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Directory.GetFiles(Path.GetDirectoryName(segmentFile)!, $"{0:D20}.log*").Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(segmentFile)!, $"{0:D20}.log*"));

        var size = BinaryPrimitives.ReadInt32BigEndian(start);
        var frame = new byte[size];
        start.AsSpan(4).CopyTo(frame);
        await stream.ReadExactlyAsync(frame.AsMemory(start.Length - 4));
        var records = DecodeRecords(frame);

        Assert.True(records.Length > 4 * 1024 * 1024, $"only {records.Length} record bytes came back");
        var offset = 0L;
        for (var at = 0; at < records.Length;)
        {
            var batch = RecordBatchValidator.Validate(records.AsSpan(at), requireDenseOffsets: false);
            Assert.True(batch.IsValid, batch.Message);
            Assert.Equal(offset, batch.Header.BaseOffset);
            foreach (var record in RecordBatchReader.ReadRecords(records.AsSpan(at, batch.Header.TotalSize)))
            {
                Assert.Equal(produced[(int)record.Offset].Value, Encoding.ASCII.GetString(record.Value!));
            }
            offset = batch.Header.NextOffset;
            at += batch.Header.TotalSize;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_batch_corrupted_at_rest_is_never_sent_and_the_batches_before_it_are(bool zeroCopy)
    {
        var first = await StartAsync(zeroCopy);
        var topic = TestTopics.Unique("fetchcrc");
        try
        {
            using var producer = Clients.Producer<Null, string>(first, c => c.LingerMs = 0);
            foreach (var value in new[] { "first", "second", "third" })
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = value }); // one batch each
            }
            Assert.True(await first.StopAsync() == 0, first.Output);
        }
        finally
        {
            await first.DisposeAsync();
        }
        // Flip the last byte of the second batch (its last record's value, covered by the CRC-32C).
        var segmentFile = Path.Combine(first.DataDir, $"{topic}-0", $"{0:D20}.log");
        var bytes = await File.ReadAllBytesAsync(segmentFile);
        var secondAt = RecordBatchHeader.Read(bytes).TotalSize;
        var secondEnd = secondAt + RecordBatchHeader.Read(bytes.AsSpan(secondAt)).TotalSize;
        await using (var file = new FileStream(segmentFile, FileMode.Open, FileAccess.ReadWrite))
        {
            file.Position = secondEnd - 1;
            var last = (byte)file.ReadByte();
            file.Position = secondEnd - 1;
            file.WriteByte((byte)(last ^ 0x20));
        }
        await using var broker = await StartAsync(zeroCopy, first.DataDir);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", broker.Port);
        await using var stream = new NetworkStream(socket);

        var fromStart = await FetchOnceAsync(stream, topic, offset: 0);
        var atCorrupt = await FetchOnceAsync(stream, topic, offset: 1);

        Assert.Equal(0, fromStart.Error);
        Assert.Equal(bytes.AsSpan(0, secondAt).ToArray(), fromStart.Records); // only the good batch before it
        Assert.Equal((short)FastLog.Protocol.Messages.ErrorCode.KafkaStorageError, atCorrupt.Error);
        Assert.Empty(atCorrupt.Records);
    }

    [Fact]
    public async Task Zero_copy_and_copying_brokers_send_byte_identical_fetch_responses_for_the_same_log()
    {
        var first = await StartAsync(zeroCopy: true);
        var topic = TestTopics.Unique("fetchsame");
        byte[] zeroCopyBytes;
        try
        {
            await Clients.CreateTopicAsync(first, topic, partitions: 1, new Dictionary<string, string> { ["segment.bytes"] = "1048576" });
            await ProduceAsync(first, topic, totalBytes: 4 * 1024 * 1024);
            zeroCopyBytes = await FetchAllRawAsync(first, topic);
            Assert.True(await first.StopAsync() == 0, first.Output);
        }
        finally
        {
            await first.DisposeAsync();
        }
        await using var second = await StartAsync(zeroCopy: false, first.DataDir);

        var copyingBytes = await FetchAllRawAsync(second, topic);

        Assert.True(zeroCopyBytes.Length > 4 * 1024 * 1024);
        Assert.True(zeroCopyBytes.AsSpan().SequenceEqual(copyingBytes), "the two send paths answered the same fetches with different bytes");
    }

    private async Task<BrokerProcess> StartAsync(bool zeroCopy, string? dataDir = null)
    {
        var broker = await BrokerProcess.StartAsync(dataDir, zeroCopy ? "socket.fetch.zero.copy=true" : "socket.fetch.zero.copy=false");
        _dataDirs.Add(broker.DataDir);
        return broker;
    }

    /// <summary>Printable values of 1 to 16 KiB, different for every offset, so any misplaced byte shows.</summary>
    private static async Task<List<(string Key, string Value)>> ProduceAsync(BrokerProcess broker, string topic, int totalBytes)
    {
        var messages = new List<(string Key, string Value)>();
        for (var (i, bytes) = (0, 0); bytes < totalBytes; i++)
        {
            var length = 1024 + (int)((i * 7919L) % (15 * 1024));
            bytes += length;
            messages.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Create(length, i, static (span, seed) =>
            {
                for (var j = 0; j < span.Length; j++)
                {
                    span[j] = (char)('a' + ((seed * 31) + j) % 26);
                }
            })));
        }
        using var producer = Clients.Producer<string, string>(broker, c =>
        {
            c.LingerMs = 20;
            c.BatchSize = 1024 * 1024;
        });
        foreach (var (key, value) in messages)
        {
            producer.Produce(topic, new Message<string, string> { Key = key, Value = value }, report =>
            {
                if (report.Error.IsError)
                {
                    throw new InvalidOperationException(report.Error.Reason);
                }
            });
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        await Task.CompletedTask;
        return messages;
    }

    private static List<(string Key, string Value)> ReadWithConfluent(BrokerProcess broker, string topic)
    {
        using var consumer = Clients.Consumer<string, string>(broker, c =>
        {
            c.MaxPartitionFetchBytes = EightMiB;
            c.FetchMaxBytes = 2 * EightMiB;
        });
        return [.. Clients.ReadPartition(consumer, topic, 0, new Offset(0)).Select(r => (r.Message.Key, r.Message.Value))];
    }

    private static void AssertSameMessages(List<(string Key, string Value)> expected, List<(string Key, string Value)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i] == actual[i], $"message {i} differs (key {actual[i].Key}, {actual[i].Value.Length} bytes)");
        }
    }

    /// <summary>Fetch v4 for partition 0, header v1, correlation id 1.</summary>
    private static byte[] FetchFrame(string topic, long offset, int maxBytes)
    {
        var request = new FetchRequest
        {
            MaxWaitMs = 0,
            MinBytes = 1,
            MaxBytes = maxBytes,
            Topics = [new FetchRequest.FetchTopic { Topic = topic, Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = offset, PartitionMaxBytes = maxBytes }] }],
        };
        var writer = new ProtocolWriter();
        writer.WriteInt32(0);
        writer.WriteInt16(FetchRequest.ApiKey);
        writer.WriteInt16(4);
        writer.WriteInt32(1);
        writer.WriteNullableString("fetch-send-path-test", flexible: false);
        request.Write(writer, 4);
        writer.PatchInt32(0, writer.BufferedCount - 4);
        var frame = writer.Buffered.ToArray();
        writer.Release();
        return frame;
    }

    /// <summary>The records of partition 0 in a Fetch v4 response frame (the bytes after its size prefix).</summary>
    private static byte[] DecodeRecords(ReadOnlyMemory<byte> frame)
    {
        var (error, records) = DecodePartition(frame);
        Assert.Equal(0, error);
        return records;
    }

    private static (short Error, byte[] Records) DecodePartition(ReadOnlyMemory<byte> frame)
    {
        var reader = new ProtocolReader(frame[4..]); // the correlation id, then the body
        var response = new FetchResponse();
        response.Read(ref reader, 4);
        var partition = Assert.Single(Assert.Single(response.Responses).Partitions);
        return (partition.ErrorCode, partition.Records?.Memory.ToArray() ?? []);
    }

    private static async Task<(short Error, byte[] Records)> FetchOnceAsync(NetworkStream stream, string topic, long offset)
    {
        await stream.WriteAsync(FetchFrame(topic, offset, maxBytes: EightMiB));
        var sizeBytes = new byte[4];
        await stream.ReadExactlyAsync(sizeBytes);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(sizeBytes)];
        await stream.ReadExactlyAsync(frame);
        return DecodePartition(frame);
    }

    /// <summary>Whole response frames of fetches from offset 0 to the end, 1.5 MiB at a time, concatenated.</summary>
    private static async Task<byte[]> FetchAllRawAsync(BrokerProcess broker, string topic)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", broker.Port);
        await using var stream = new NetworkStream(socket);
        var all = new MemoryStream();
        var offset = 0L;
        for (var round = 0; round < 1000; round++)
        {
            await stream.WriteAsync(FetchFrame(topic, offset, maxBytes: 1536 * 1024));
            var sizeBytes = new byte[4];
            await stream.ReadExactlyAsync(sizeBytes);
            var frame = new byte[4 + BinaryPrimitives.ReadInt32BigEndian(sizeBytes)];
            sizeBytes.CopyTo(frame, 0);
            await stream.ReadExactlyAsync(frame.AsMemory(4));
            var records = DecodeRecords(frame.AsMemory(4));
            if (records.Length == 0)
            {
                return all.ToArray();
            }
            all.Write(frame);
            for (var at = 0; at < records.Length;)
            {
                var header = RecordBatchHeader.Read(records.AsSpan(at));
                offset = header.NextOffset;
                at += header.TotalSize;
            }
        }
        throw new InvalidOperationException("the partition did not end within 1000 fetches");
    }
}
