using System.Text;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>kcat 1.7.1 (librdkafka 2.0.2, the old client whose feature probes need specific versions).</summary>
public sealed class KcatTests
{
    [Fact]
    public async Task Metadata_listing_shows_the_broker_and_topic()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("kcat-l");
        await Clients.CreateTopicAsync(broker, topic, partitions: 3);

        var result = await Kcat.RunAsync(broker, ["-L", "-t", topic]);
        var text = Encoding.UTF8.GetString(result.Stdout);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"broker 1 at {broker.BootstrapServers}", text, StringComparison.Ordinal);
        Assert.Contains($"topic \"{topic}\" with 3 partitions", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyed_lines_produced_from_a_file_come_back_byte_exact()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("kcat-p");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var lines = Enumerable.Range(0, 300).Select(i => $"key{i % 7}:value {i} \u00e9\u00e8 \t tab").ToList();
        var input = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

        var produced = await Kcat.RunAsync(broker, ["-P", "-t", topic, "-p", "0", "-K", ":", "-z", "snappy"], input);
        var consumed = await Kcat.RunAsync(broker, ["-C", "-t", topic, "-o", "beginning", "-e", "-K", ":", "-q"]);
        var tail = await Kcat.RunAsync(broker, ["-C", "-t", topic, "-o", "-10", "-e", "-q", "-f", "%o %s\n"]);

        Assert.Equal(0, produced.ExitCode);
        Assert.Equal(0, consumed.ExitCode);
        Assert.Equal(input, consumed.Stdout);
        var tailLines = Encoding.UTF8.GetString(tail.Stdout).TrimEnd('\n').Split('\n');
        Assert.Equal(10, tailLines.Length);
        Assert.StartsWith("290 value 290", tailLines[0], StringComparison.Ordinal);
        Assert.StartsWith("299 value 299", tailLines[9], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consuming_from_a_timestamp_starts_at_the_first_later_message()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("kcat-ts");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000;
        using (var producer = Clients.Producer<Null, string>(broker))
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = $"m{i}", Timestamp = new Timestamp(start + i * 100, TimestampType.CreateTime) });
            }
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));
        }

        var result = await Kcat.RunAsync(broker, ["-C", "-t", topic, "-o", $"s@{start + 4250}", "-e", "-q", "-f", "%s\n"]);

        var values = Encoding.UTF8.GetString(result.Stdout).TrimEnd('\n').Split('\n');
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("m43", values[0]);
        Assert.Equal(57, values.Length);
    }
}
