using System.Text;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>
/// Log compaction over the wire, with librdkafka (Confluent.Kafka) and kcat: the state-restore use case, tombstones,
/// keyless records refused, and __consumer_offsets compacted. Segments are small and the cleaner eager so that
/// cleaning happens within seconds.
/// </summary>
public sealed partial class CompactionTests
{
    private static readonly string[] EagerCleaner =
    [
        "log.cleaner.backoff.ms=100",
        "log.retention.check.interval.ms=200",
        "log.cleaner.dedupe.buffer.size=8388608",
    ];

    private static Dictionary<string, string> CompactedTopic(string deleteRetentionMs = "86400000") => new()
    {
        ["cleanup.policy"] = "compact",
        ["segment.bytes"] = "65536",
        ["segment.ms"] = "1000", // the active segment is never cleaned: idle ones roll after a second
        ["min.cleanable.dirty.ratio"] = "0.01",
        ["delete.retention.ms"] = deleteRetentionMs,
    };

    private static string Key(int key) => $"key-{key:D4}";

    [Fact]
    public async Task A_state_topic_of_1000_keys_updated_100_times_restores_to_exactly_the_latest_value_per_key()
    {
        await using var broker = await BrokerProcess.StartAsync(null, [.. EagerCleaner, BrokerMetricsScrape.Listener]);
        var topic = TestTopics.Unique("state");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, CompactedTopic());
        const int keys = 1000, rounds = 100;
        ProduceRounds(broker, topic, keys, rounds);

        // A consumer that starts before the cleaning: it reads part of the log now and the rest after.
        using var early = Clients.Consumer<string, string>(broker);
        early.Assign(new TopicPartitionOffset(topic, 0, Offset.Beginning));
        var seenEarly = new Dictionary<string, string>();
        while (seenEarly.Count < keys)
        {
            var result = early.Consume(TimeSpan.FromSeconds(10));
            Assert.NotNull(result);
            seenEarly[result.Message.Key] = result.Message.Value;
        }
        Assert.True(await WaitForCleaningUpTo(broker, topic, keys * rounds), broker.Output);
        while (true)
        {
            var result = early.Consume(TimeSpan.FromSeconds(10));
            Assert.True(result is not null, $"no record for 10 s after {seenEarly.Count} keys; broker output:\n{broker.Output}");
            seenEarly[result.Message.Key] = result.Message.Value;
            if (result.Offset.Value == keys * rounds - 1)
            {
                break;
            }
        }

        using var fresh = Clients.Consumer<string, string>(broker);
        var restored = Clients.ReadPartition(fresh, topic, 0, Offset.Beginning);
        var kcat = await Kcat.RunAsync(broker, ["-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q", "-f", "%k=%s\\n"]);
        var metrics = await BrokerMetricsScrape.ReadAsync(broker);

        var expected = Enumerable.Range(0, keys).ToDictionary(Key, k => $"round-{rounds - 1}-{k}");
        Assert.Equal(keys, restored.Count);
        Assert.Equal(expected, restored.ToDictionary(r => r.Message.Key, r => r.Message.Value));
        Assert.Equal(Enumerable.Range(0, keys).Select(k => (long)(rounds - 1) * keys + k), restored.Select(r => r.Offset.Value)); // original offsets
        Assert.Equal(expected, seenEarly);
        Assert.Equal(0, kcat.ExitCode);
        var lines = Encoding.UTF8.GetString(kcat.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Select(e => $"{e.Key}={e.Value}"), lines);
        Assert.True(BrokerMetricsScrape.Value(metrics, "fastlog_cleaner_bytes_read_total") > BrokerMetricsScrape.Value(metrics, "fastlog_cleaner_bytes_written_total"), metrics);
        Assert.True(BrokerMetricsScrape.Value(metrics, "fastlog_cleaner_cleanings_total") >= 1, metrics);
        Assert.True(BrokerMetricsScrape.Value(metrics, "fastlog_cleaner_last_cleaning_end_seconds") > 0, metrics);
        Assert.Contains($"fastlog_cleaner_dirty_ratio{{topic=\"{topic}\",partition=\"0\"}}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tombstoned_keys_disappear_once_delete_retention_ms_has_passed()
    {
        await using var broker = await BrokerProcess.StartAsync(null, EagerCleaner);
        var topic = TestTopics.Unique("tombstones");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, CompactedTopic(deleteRetentionMs: "500"));
        ProduceRounds(broker, topic, keys: 200, rounds: 3);
        using var producer = Clients.Producer<string, string?>(broker, c => c.LingerMs = 0);
        for (var k = 0; k < 50; k++)
        {
            producer.Produce(topic, new Message<string, string?> { Key = Key(k), Value = null });
        }
        producer.Flush(TimeSpan.FromSeconds(30));

        // A tombstone goes at the first cleaning after its horizon; a little new data keeps the log cleanable.
        using var consumer = Clients.Consumer<string, string?>(broker);
        List<ConsumeResult<string, string?>> read = [];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await producer.ProduceAsync(topic, new Message<string, string?> { Key = "filler", Value = "x" });
            read = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning);
            if (read.All(r => r.Message.Value is not null))
            {
                break;
            }
            await Task.Delay(300);
        }

        // Fillers may repeat in the active segment, which is never cleaned; every other key appears once.
        var kept = read.Where(r => r.Message.Key != "filler").ToList();
        Assert.DoesNotContain(read, r => r.Message.Value is null);
        Assert.Equal(Enumerable.Range(50, 150).Select(Key), kept.Select(r => r.Message.Key));
        Assert.All(kept, r => Assert.Equal($"round-2-{int.Parse(r.Message.Key[4..], System.Globalization.CultureInfo.InvariantCulture)}", r.Message.Value));
    }

    [Theory]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public async Task A_compressed_topic_is_compacted_and_read_back_by_clients(CompressionType compression)
    {
        await using var broker = await BrokerProcess.StartAsync(null, EagerCleaner);
        var topic = TestTopics.Unique("codec");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, CompactedTopic());
        const int keys = 200, rounds = 20;
        ProduceRounds(broker, topic, keys, rounds, compression);

        Assert.True(await WaitForCleaningUpTo(broker, topic, keys * rounds), broker.Output);
        using var consumer = Clients.Consumer<string, string>(broker);
        var restored = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning);

        Assert.Equal(Enumerable.Range(0, keys).ToDictionary(Key, k => $"round-{rounds - 1}-{k}"), restored.ToDictionary(r => r.Message.Key, r => r.Message.Value));
        Assert.Equal(keys, restored.Count);
    }

    [Fact]
    public async Task A_record_without_a_key_is_refused_by_a_compacted_topic_with_INVALID_RECORD()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("keyless");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, CompactedTopic());
        using var producer = Clients.Producer<Null, string>(broker, c => c.LingerMs = 0);

        var refused = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync(topic, new Message<Null, string> { Value = "no key" }));

        Assert.Equal(ErrorCode.InvalidRecord, refused.Error.Code);
    }

    [Fact]
    public async Task Consumer_offsets_are_compacted_and_the_latest_commit_survives_a_restart()
    {
        var overrides = EagerCleaner.Concat(["offsets.topic.segment.bytes=4096", "log.roll.ms=1000", "log.cleaner.min.cleanable.ratio=0.01", "offsets.topic.num.partitions=1"]).ToArray();
        var broker = await BrokerProcess.StartAsync(null, overrides);
        var topic = TestTopics.Unique("committed");
        try
        {
            await Clients.CreateTopicAsync(broker, topic, partitions: 1);
            const string group = "compacted-offsets";
            using (var consumer = Clients.Consumer<Null, string>(broker, c => c.GroupId = group))
            {
                for (var offset = 1; offset <= 300; offset++)
                {
                    consumer.Commit([new TopicPartitionOffset(topic, 0, offset)]);
                }
            }
            Assert.True(await broker.WaitForOutputAsync("__consumer_offsets-0: cleaned offsets", TimeSpan.FromSeconds(60)), broker.Output);
            Assert.True(await WaitForCleaningUpTo(broker, "__consumer_offsets", 300), broker.Output);
            Assert.True(await broker.StopAsync() == 0, broker.Output);
            await broker.DisposeAsync();

            broker = await BrokerProcess.StartAsync(broker.DataDir, overrides);
            using var reader = Clients.Consumer<Null, string>(broker, c => c.GroupId = group);
            var committed = reader.Committed([new Confluent.Kafka.TopicPartition(topic, 0)], TimeSpan.FromSeconds(30));

            Assert.Equal(300, committed.Single().Offset.Value);
        }
        finally
        {
            await broker.DisposeAsync();
            broker.DeleteData();
        }
    }

    /// <summary>1000s of records fast: callbacks instead of awaits, small batches so segments fill and roll.</summary>
    private static void ProduceRounds(BrokerProcess broker, string topic, int keys, int rounds, CompressionType compression = CompressionType.None)
    {
        using var producer = Clients.Producer<string, string>(broker, c =>
        {
            c.BatchSize = 16384;
            c.CompressionType = compression;
        });
        var failures = 0;
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < keys; k++)
            {
                producer.Produce(topic, new Message<string, string> { Key = Key(k), Value = $"round-{round}-{k}" }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        Assert.Equal(0, failures);
    }

    /// <summary>Whether the broker logs a cleaning of <paramref name="topic"/>'s partition 0 whose key map reached <paramref name="endOffset"/>.</summary>
    private static async Task<bool> WaitForCleaningUpTo(BrokerProcess broker, string topic, long endOffset)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            foreach (Match match in CleanedLine().Matches(broker.Output))
            {
                if (match.Groups["topic"].Value == topic && long.Parse(match.Groups["end"].Value, System.Globalization.CultureInfo.InvariantCulture) >= endOffset)
                {
                    return true;
                }
            }
            await Task.Delay(50);
        }
        return false;
    }

    [GeneratedRegex(@"(?<topic>\S+)-0: cleaned offsets \[\d+, (?<end>\d+)\)")]
    private static partial Regex CleanedLine();
}
