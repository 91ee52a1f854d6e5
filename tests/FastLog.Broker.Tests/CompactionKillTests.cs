using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests;

/// <summary>
/// The broker is killed with SIGKILL again and again while its cleaner compacts a topic that keeps being
/// updated; after every restart the topic must still hold the latest acknowledged value of every key. The swap
/// of cleaned segments (.cleaned -> .swap -> live) is completed or rolled back at start, so no kill may lose or
/// resurrect a value.
/// </summary>
public sealed class CompactionKillTests
{
    private const int Keys = 200;
    private const int UpdatesPerCycle = 15;
    private const int Cycles = 6;

    private static readonly string[] EagerCleaner =
    [
        "log.cleaner.backoff.ms=20",
        "log.retention.check.interval.ms=100",
        "log.cleaner.dedupe.buffer.size=8388608",
    ];

    [Fact]
    public async Task Every_latest_value_survives_kill_9_of_the_broker_while_it_cleans()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "fastlog-broker-tests", Guid.NewGuid().ToString("N"));
        var topic = TestTopics.Unique("killclean");
        var latest = new Dictionary<string, string>();
        var random = new Random(7);
        var produced = 0L;
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                var broker = await BrokerProcess.StartAsync(dataDir, EagerCleaner);
                await using (broker)
                {
                    if (cycle == 0)
                    {
                        await Clients.CreateTopicAsync(broker, topic, partitions: 1, new Dictionary<string, string>
                        {
                            ["cleanup.policy"] = "compact",
                            ["segment.bytes"] = "16384",
                            ["segment.ms"] = "200",
                            ["min.cleanable.dirty.ratio"] = "0.01",
                        });
                    }
                    produced += Produce(broker, topic, cycle, latest);
                    // Kill once the cleaner is at work on what this cycle wrote, at a random moment of it.
                    Assert.True(await broker.WaitForOutputAsync($"{topic}-0: cleaned offsets", TimeSpan.FromSeconds(30)), $"cycle {cycle}: no cleaning to interrupt\n{broker.Output}");
                    await Task.Delay(random.Next(0, 150));
                    await broker.KillAsync();
                }
            }

            await using var last = await BrokerProcess.StartAsync(dataDir, EagerCleaner);
            using var consumer = Clients.Consumer<string, string>(last);
            var records = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning);

            var restored = new Dictionary<string, string>();
            foreach (var record in records)
            {
                restored[record.Message.Key] = record.Message.Value;
            }
            Assert.Equal(latest, restored);
            Assert.True(records.Count < produced, $"read {records.Count} of {produced} records: no cleaning ever took effect");
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>One round of updates to every key, all acknowledged; records the latest value of each key.</summary>
    private static int Produce(BrokerProcess broker, string topic, int cycle, Dictionary<string, string> latest)
    {
        using var producer = Clients.Producer<string, string>(broker, c => c.BatchSize = 8192);
        var failures = 0;
        for (var update = 0; update < UpdatesPerCycle; update++)
        {
            for (var k = 0; k < Keys; k++)
            {
                var key = $"key-{k:D3}";
                var value = $"cycle-{cycle}-update-{update}-{k}";
                producer.Produce(topic, new Message<string, string> { Key = key, Value = value }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                    }
                });
                latest[key] = value;
            }
        }
        producer.Flush(TimeSpan.FromSeconds(60));
        Assert.Equal(0, failures);
        return Keys * UpdatesPerCycle;
    }
}
