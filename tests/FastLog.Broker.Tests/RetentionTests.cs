using Confluent.Kafka;
using FastLog.Broker.Retention;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;
using FastLog.Storage;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Tests;

/// <summary>Delete retention: the policy at its boundaries, and the broker applying it to consumers.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fastlog-retention-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Segments of about 1 KiB each: batch i has timestamp base + i * 1000.</summary>
    private PartitionLog LogWithSegments(int batches, long baseTimestamp)
    {
        var config = new LogConfig { SegmentBytes = 1024, IndexIntervalBytes = 256, MaxIndexBytes = 4096 };
        var log = PartitionLog.Create(new FastLog.Storage.TopicPartition("ret", 0), _dir, config, new Storage.Files.FileCache(64));
        for (var i = 0; i < batches; i++)
        {
            var batch = FastLog.Protocol.Records.RecordBatchBuilder.BuildDense(new(), [Record.Create(null, new byte[300], baseTimestamp + i * 1000L)]);
            log.Append(batch);
        }
        return log;
    }

    [Fact]
    public void Segments_whose_newest_record_is_older_than_retention_ms_go_and_the_rest_stay()
    {
        var log = LogWithSegments(12, baseTimestamp: 1_000_000);
        var segments = log.Segments;
        var cutoffSegment = segments[2];

        // now - retention lands just above segment 1's newest record: segments 0 and 1 expire, 2 does not.
        var decision = RetentionPolicy.Decide(log, retentionMs: 10_000, retentionBytes: -1, nowMs: segments[1].MaxTimestamp + 10_001);

        Assert.False(decision.RollActive);
        Assert.Equal(cutoffSegment.BaseOffset, decision.NewLogStartOffset);
    }

    [Fact]
    public void A_segment_exactly_at_the_retention_boundary_is_kept()
    {
        var log = LogWithSegments(12, baseTimestamp: 1_000_000);
        var first = log.Segments[0];

        var decision = RetentionPolicy.Decide(log, retentionMs: 10_000, retentionBytes: -1, nowMs: first.MaxTimestamp + 10_000);

        Assert.Equal(log.LogStartOffset, decision.NewLogStartOffset);
    }

    [Fact]
    public void When_everything_expired_the_active_segment_is_rolled_so_it_can_go_too()
    {
        var log = LogWithSegments(12, baseTimestamp: 1_000_000);

        var decision = RetentionPolicy.Decide(log, retentionMs: 1, retentionBytes: -1, nowMs: 10_000_000_000);

        Assert.True(decision.RollActive);
        Assert.Equal(log.LogEndOffset, decision.NewLogStartOffset);
    }

    [Fact]
    public void Retention_bytes_deletes_the_oldest_segments_while_the_rest_still_reach_the_limit()
    {
        var log = LogWithSegments(12, baseTimestamp: 1_000_000);
        var segments = log.Segments;
        var total = segments.Sum(s => (long)s.Size);
        var limit = total - segments[0].Size - segments[1].Size; // exactly what is left without the two oldest

        var decision = RetentionPolicy.Decide(log, retentionMs: -1, retentionBytes: limit, nowMs: 0);

        Assert.Equal(segments[2].BaseOffset, decision.NewLogStartOffset);
        Assert.Equal(segments[1].BaseOffset, RetentionPolicy.Decide(log, -1, limit + 1, 0).NewLogStartOffset);
    }

    [Fact]
    public void Unlimited_retention_deletes_nothing()
    {
        var log = LogWithSegments(12, baseTimestamp: 1_000_000);

        var decision = RetentionPolicy.Decide(log, retentionMs: -1, retentionBytes: -1, nowMs: long.MaxValue / 2);

        Assert.False(decision.RollActive);
        Assert.Equal(0, decision.NewLogStartOffset);
    }

    [Fact]
    public async Task The_broker_deletes_expired_data_and_consumers_below_the_new_start_reset()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "log.retention.check.interval.ms=200");
        var topic = TestTopics.Unique("retention");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1, new Dictionary<string, string>
        {
            ["retention.ms"] = "60000",
            ["segment.bytes"] = "2048",
            ["file.delete.delay.ms"] = "100",
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using (var producer = Clients.Producer<Null, string>(broker, c => c.LingerMs = 0))
        {
            // Old records (an hour ago) first, then current ones: only the old segments may go.
            for (var i = 0; i < 40; i++)
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = $"old{i}".PadRight(200, '.'), Timestamp = new Timestamp(now - 3_600_000, TimestampType.CreateTime) });
            }
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = $"new{i}", Timestamp = new Timestamp(now, TimestampType.CreateTime) });
            }
        }
        using var consumer = Clients.Consumer<Null, string>(broker);
        var tp = new Confluent.Kafka.TopicPartition(topic, 0);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long low = 0;
        while (DateTime.UtcNow < deadline && (low = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(5)).Low.Value) == 0)
        {
            await Task.Yield();
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }

        var read = Clients.ReadPartition(consumer, topic, 0, new Offset(0)); // offset 0 is gone: reset to earliest

        Assert.InRange(low, 1, 40); // old data went, but never the current records
        Assert.True(read[0].Offset.Value >= low, $"the reset went to {read[0].Offset.Value}, below the log start {low}");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"new{i}"), read.Where(r => r.Message.Value.StartsWith("new", StringComparison.Ordinal)).Select(r => r.Message.Value));
        Assert.True(await broker.WaitForOutputAsync("segment(s) deleted", TimeSpan.FromSeconds(30)), broker.Output);
    }
}
