using System.Text;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>Produce and consume with Confluent.Kafka (librdkafka) against a broker process.</summary>
public sealed class ProduceConsumeTests
{
    [Fact]
    public async Task Hundred_thousand_keyed_messages_come_back_exactly_once_in_key_order()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("keyed");
        await Clients.CreateTopicAsync(broker, topic, partitions: 10);
        const int messages = 100_000;
        const int keys = 1_000;
        var partitionOfKey = new int[keys];
        Array.Fill(partitionOfKey, -1);
        var failures = 0;
        using (var producer = Clients.Producer<string, string>(broker))
        {
            for (var i = 0; i < messages; i++)
            {
                var key = i % keys;
                producer.Produce(topic, new Message<string, string> { Key = $"key-{key}", Value = $"{key}:{i / keys}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
        }
        Assert.Equal(0, failures);

        var seen = new HashSet<string>();
        var lastSequence = new int[keys];
        Array.Fill(lastSequence, -1);
        using var consumer = Clients.Consumer<string, string>(broker);
        for (var p = 0; p < 10; p++)
        {
            foreach (var result in Clients.ReadPartition(consumer, topic, p, Offset.Beginning))
            {
                Assert.True(seen.Add(result.Message.Value), $"{result.Message.Value} consumed twice");
                var parts = result.Message.Value.Split(':');
                var key = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
                var sequence = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal($"key-{key}", result.Message.Key);
                Assert.True(sequence > lastSequence[key], $"key {key}: {sequence} after {lastSequence[key]}");
                lastSequence[key] = sequence;
                Assert.True(partitionOfKey[key] == -1 || partitionOfKey[key] == p, $"key {key} on partitions {partitionOfKey[key]} and {p}");
                partitionOfKey[key] = p;
            }
        }
        Assert.Equal(messages, seen.Count);
    }

    [Fact]
    public async Task A_consumer_replays_from_an_old_offset_and_finds_offsets_by_timestamp()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("replay");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
        using (var producer = Clients.Producer<Null, string>(broker))
        {
            for (var i = 0; i < 1000; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = $"m{i}", Timestamp = new Timestamp(start + i * 10, TimestampType.CreateTime) });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        using var consumer = Clients.Consumer<Null, string>(broker);

        var replay = Clients.ReadPartition(consumer, topic, 0, new Offset(500));
        var found = consumer.OffsetsForTimes([new TopicPartitionTimestamp(topic, 0, new Timestamp(start + 4321, TimestampType.CreateTime))], TimeSpan.FromSeconds(10));

        Assert.Equal(500, replay.Count);
        Assert.Equal(500, replay[0].Offset.Value);
        Assert.Equal("m500", replay[0].Message.Value);
        Assert.Equal(start + 5000, replay[0].Message.Timestamp.UnixTimestampMs);
        Assert.Equal(433, found.Single().Offset.Value); // first record at or after +4321 ms is m433 (+4330)
    }

    [Fact]
    public async Task Headers_null_keys_and_null_values_survive_the_round_trip()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("nulls");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var headers = new Headers { { "trace", Encoding.UTF8.GetBytes("abc") }, { "empty", [] }, { "trace", Encoding.UTF8.GetBytes("second") } };
        using (var producer = Clients.Producer<byte[]?, byte[]?>(broker))
        {
            await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = null, Value = [1, 2, 3], Headers = headers });
            await producer.ProduceAsync(topic, new Message<byte[]?, byte[]?> { Key = [9], Value = null });
        }
        using var consumer = Clients.Consumer<byte[]?, byte[]?>(broker);

        var read = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning);

        Assert.Equal(2, read.Count);
        Assert.Null(read[0].Message.Key);
        Assert.Equal([1, 2, 3], read[0].Message.Value);
        Assert.Equal(["trace", "empty", "trace"], read[0].Message.Headers.Select(h => h.Key));
        Assert.Equal("second", Encoding.UTF8.GetString(read[0].Message.Headers[2].GetValueBytes()));
        Assert.Equal([9], read[1].Message.Key);
        Assert.Null(read[1].Message.Value);
    }

    [Fact]
    public async Task Values_up_to_max_message_bytes_are_accepted_and_larger_ones_refused()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("sizes");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, new Dictionary<string, string> { ["max.message.bytes"] = "100000" });
        using var producer = Clients.Producer<Null, byte[]>(broker, c => { c.MessageMaxBytes = 2_000_000; c.LingerMs = 0; });

        var fits = await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[99_000] });
        var error = await Assert.ThrowsAsync<ProduceException<Null, byte[]>>(() => producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[150_000] }));

        Assert.Equal(0, fits.Offset.Value);
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task Each_codec_is_stored_as_sent_and_read_back(CompressionType codec)
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("codec");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using (var producer = Clients.Producer<string, string>(broker, c => { c.CompressionType = codec; c.LingerMs = 50; }))
        {
            for (var i = 0; i < 500; i++)
            {
                producer.Produce(topic, new Message<string, string> { Key = $"k{i}", Value = string.Concat(Enumerable.Repeat($"value {i} ", 20)) });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }
        using var consumer = Clients.Consumer<string, string>(broker);

        var read = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning);

        Assert.Equal(500, read.Count);
        Assert.Equal(string.Concat(Enumerable.Repeat("value 499 ", 20)), read[499].Message.Value);
        var segment = Path.Combine(broker.DataDir, $"{topic}-0", "00000000000000000000.log");
        var header = new byte[61];
        using (var file = File.Open(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            file.ReadExactly(header);
        }
        Assert.Equal((int)codec, header[22] & 0x07); // attributes low byte: the producer's codec, kept on disk
    }
}
