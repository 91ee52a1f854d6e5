using Confluent.Kafka;
using Confluent.Kafka.Admin;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>Stopping and starting the broker process on the same data.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Topics_configs_and_acknowledged_messages_survive_a_restart()
    {
        var topic = TestTopics.Unique("restart");
        var first = await BrokerProcess.StartAsync();
        await Clients.CreateTopicAsync(first, topic, partitions: 2, new Dictionary<string, string> { ["retention.ms"] = "123456789" });
        var acknowledged = new List<string>();
        using (var producer = Clients.Producer<string, string>(first))
        {
            for (var i = 0; i < 2000; i++)
            {
                var report = await producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i % 50}", Value = $"v{i}" });
                acknowledged.Add(report.Message.Value);
            }
        }
        Assert.True(await first.StopAsync() == 0, first.Output);
        Assert.True(await first.WaitForOutputAsync("stopped cleanly", TimeSpan.FromSeconds(30)), first.Output);

        await using var second = await BrokerProcess.StartAsync(first.DataDir);
        using var admin = Clients.Admin(second);
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single();
        var configs = (await admin.DescribeConfigsAsync([new ConfigResource { Type = ResourceType.Topic, Name = topic }])).Single().Entries;
        using var consumer = Clients.Consumer<string, string>(second);
        var values = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning).Concat(Clients.ReadPartition(consumer, topic, 1, Offset.Beginning))
            .Select(r => r.Message.Value).ToHashSet();

        Assert.Equal(2, metadata.Partitions.Count);
        Assert.Equal("123456789", configs["retention.ms"].Value);
        Assert.Equal(acknowledged.Count, values.Count);
        Assert.All(acknowledged, v => Assert.Contains(v, values));
        second.DeleteData();
    }

    [Fact]
    public async Task Acknowledged_messages_survive_kill_9()
    {
        var topic = TestTopics.Unique("kill");
        var first = await BrokerProcess.StartAsync();
        await Clients.CreateTopicAsync(first, topic, partitions: 1);
        using (var producer = Clients.Producer<Null, string>(first))
        {
            for (var i = 0; i < 500; i++)
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = $"v{i}" });
            }
        }
        await first.KillAsync();

        await using var second = await BrokerProcess.StartAsync(first.DataDir);
        using var consumer = Clients.Consumer<Null, string>(second);
        var values = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning).Select(r => r.Message.Value).ToList();

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"v{i}"), values);
        second.DeleteData();
    }
}
