using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>Topic administration with Confluent.Kafka's AdminClient.</summary>
public sealed class AdminTests
{
    [Fact]
    public async Task Topics_are_created_described_grown_and_deleted()
    {
        await using var broker = await BrokerProcess.StartAsync();
        using var admin = Clients.Admin(broker);
        var topic = TestTopics.Unique("admin");

        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 3, ReplicationFactor = 1 }]);
        var created = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
        await admin.CreatePartitionsAsync([new PartitionsSpecification { Topic = topic, IncreaseTo = 5 }]);
        var grown = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
        var duplicate = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1 }]));
        await admin.DeleteTopicsAsync([topic]);
        var all = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic);

        Assert.Equal(ErrorCode.NoError, created.Error.Code);
        Assert.Equal([0, 1, 2], created.Partitions.Select(p => p.PartitionId).Order());
        Assert.All(created.Partitions, p => Assert.Equal(1, p.Leader));
        Assert.Equal(5, grown.Partitions.Count);
        Assert.Equal(ErrorCode.TopicAlreadyExists, duplicate.Results.Single().Error.Code);
        Assert.DoesNotContain(topic, all);
    }

    [Fact]
    public async Task Bad_topic_requests_get_kafkas_error_codes()
    {
        await using var broker = await BrokerProcess.StartAsync();
        using var admin = Clients.Admin(broker);

        var error = await Assert.ThrowsAsync<CreateTopicsException>(() => admin.CreateTopicsAsync(
        [
            new TopicSpecification { Name = "bad/name", NumPartitions = 1, ReplicationFactor = 1 },
            new TopicSpecification { Name = TestTopics.Unique("rf"), NumPartitions = 1, ReplicationFactor = 3 },
            new TopicSpecification { Name = TestTopics.Unique("cfg"), NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["cleanup.policy"] = "sometimes" } },
            new TopicSpecification { Name = TestTopics.Unique("parts"), NumPartitions = 0, ReplicationFactor = 1 },
        ]));

        Assert.Equal(
            [ErrorCode.TopicException, ErrorCode.InvalidReplicationFactor, ErrorCode.InvalidConfig, ErrorCode.InvalidPartitions],
            error.Results.Select(r => r.Error.Code));
    }

    [Fact]
    public async Task Topic_configs_are_described_with_their_sources_and_altered()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "log.retention.hours=48");
        using var admin = Clients.Admin(broker);
        var topic = TestTopics.Unique("configs");
        await admin.CreateTopicsAsync([new TopicSpecification { Name = topic, NumPartitions = 1, ReplicationFactor = 1, Configs = new() { ["max.message.bytes"] = "50000" } }]);
        var resource = new ConfigResource { Type = ResourceType.Topic, Name = topic };

        var before = (await admin.DescribeConfigsAsync([resource])).Single().Entries;
        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, List<ConfigEntry>>
        {
            [new ConfigResource { Type = ResourceType.Topic, Name = topic }] =
                [new ConfigEntry { Name = "cleanup.policy", Value = "compact", IncrementalOperation = AlterConfigOpType.Set }],
        });
        var after = (await admin.DescribeConfigsAsync([resource])).Single().Entries;

        Assert.Equal("50000", before["max.message.bytes"].Value);
        Assert.Equal(ConfigSource.DynamicTopicConfig, before["max.message.bytes"].Source);
        Assert.Equal("172800000", before["retention.ms"].Value);
        Assert.Equal(ConfigSource.StaticBrokerConfig, before["retention.ms"].Source);
        Assert.Equal("1073741824", before["segment.bytes"].Value);
        Assert.Equal(ConfigSource.DefaultConfig, before["segment.bytes"].Source);
        Assert.Equal("compact", after["cleanup.policy"].Value);
        Assert.Equal("50000", after["max.message.bytes"].Value); // incremental: other overrides stay
    }
}
