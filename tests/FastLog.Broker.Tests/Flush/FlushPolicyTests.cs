using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastLog.Broker.Configuration;
using FastLog.Broker.Tests.Support;

namespace FastLog.Broker.Tests.Flush;

/// <summary>
/// flush.policy decides when appended data becomes durable: the recovery point (what a flush made durable) shows
/// it. These run the broker in this process so the test can read the partition's recovery point directly.
/// </summary>
public sealed class FlushPolicyTests : IAsyncLifetime
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("fastlog-flush-").FullName;
    private KafkaBroker _broker = null!;
    private string _bootstrap = "";

    public Task InitializeAsync()
    {
        var config = BrokerConfigLoader.FromProperties(new Dictionary<string, string>
        {
            ["listeners"] = "PLAINTEXT://127.0.0.1:0",
            ["log.dirs"] = _dataDir,
            ["group.initial.rebalance.delay.ms"] = "0",
        });
        _broker = KafkaBroker.Start(config, _ => { });
        _bootstrap = $"127.0.0.1:{_broker.BoundEndPoints[0].EndPoint.Port}";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Fact]
    public async Task Per_batch_acknowledges_only_what_is_flushed()
    {
        var topic = await CreateTopicAsync(FlushPolicies.PerBatch);

        await ProduceAsync(topic, 20);

        var log = _broker.Services.Replicas.Get(topic, 0)!.Log;
        Assert.Equal(20, log.RecoveryPoint);
        Assert.Equal(20, log.HighWatermark);
    }

    [Fact]
    public async Task None_acknowledges_from_the_page_cache_and_leaves_the_flush_to_the_system()
    {
        var none = await CreateTopicAsync(FlushPolicies.None, flushMs: "50");
        var interval = await CreateTopicAsync(FlushPolicies.Interval, flushMs: "50");

        await ProduceAsync(none, 20);
        await ProduceAsync(interval, 20);

        // Once the flusher has flushed the interval topic written after it, it has had its chance at this one.
        var flushed = _broker.Services.Replicas.Get(interval, 0)!.Log;
        Assert.True(SpinWait.SpinUntil(() => flushed.RecoveryPoint == 20, TimeSpan.FromSeconds(30)), "the interval topic was never flushed");
        var log = _broker.Services.Replicas.Get(none, 0)!.Log;
        Assert.Equal(0, log.RecoveryPoint);
        Assert.Equal(20, log.HighWatermark); // consumers see it at once
    }

    [Fact]
    public async Task Interval_flushes_in_the_background_within_flush_ms()
    {
        var topic = await CreateTopicAsync(FlushPolicies.Interval, flushMs: "100");

        await ProduceAsync(topic, 20);
        var log = _broker.Services.Replicas.Get(topic, 0)!.Log;
        Assert.Equal(20, log.HighWatermark);

        Assert.True(SpinWait.SpinUntil(() => log.RecoveryPoint == 20, TimeSpan.FromSeconds(30)), $"recovery point stayed at {log.RecoveryPoint}");
    }

    private async Task<string> CreateTopicAsync(string policy, string? flushMs = null)
    {
        var topic = TestTopics.Unique("flush");
        var configs = new Dictionary<string, string> { ["flush.policy"] = policy };
        if (flushMs is not null)
        {
            configs["flush.ms"] = flushMs;
        }
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _bootstrap }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1, Configs = configs }]);
        return topic;
    }

    private async Task ProduceAsync(string topic, int count)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = _bootstrap, Acks = Acks.Leader, EnableIdempotence = false }).Build();
        for (var i = 0; i < count; i++)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = $"m{i}" });
        }
    }
}
