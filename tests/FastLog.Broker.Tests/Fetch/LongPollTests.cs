using System.Diagnostics;
using FastLog.Broker.Tests.Support;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using FastLog.TestSupport;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Tests.Fetch;

/// <summary>
/// Fetch long polls in the purgatory, through a broker process and raw requests: expiry, a wake by any watched
/// partition, min.bytes gathered over several appends, many pooled waits on one partition round after round, and
/// clients that leave while their fetches wait.
/// </summary>
public sealed class LongPollTests
{
    private const short FetchVersion = 11;
    private const int TenMinutes = 600_000; // an answer within a test's time can only come from an append

    [Fact]
    public async Task A_long_poll_at_the_log_end_expires_at_its_deadline_with_an_empty_answer()
    {
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var topic = TestTopics.Unique("expiry");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var fetcher = await RawClient.ConnectAsync(broker.Port);

        var waited = Stopwatch.StartNew();
        await fetcher.SendAsync(Fetch(topic, maxWaitMs: 400, minBytes: 1, (0, 0)), FetchVersion, correlationId: 1);
        var answer = await fetcher.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, answer.CorrelationId);
        var partition = Decode(answer.Body).Responses.Single().Partitions.Single();
        Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
        Assert.Equal(0, partition.Records?.Length);
        // Not an upper bound (this machine may be slow), only that it waited: nothing could answer it earlier.
        Assert.True(waited.ElapsedMilliseconds >= 350, $"answered after {waited.ElapsedMilliseconds} ms, before its 400 ms wait");
    }

    [Fact]
    public async Task A_fetch_of_several_partitions_is_woken_by_an_append_to_any_of_them()
    {
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var topic = TestTopics.Unique("any");
        await Clients.CreateTopicAsync(broker, topic, partitions: 3);
        using var fetcher = await RawClient.ConnectAsync(broker.Port);
        using var producer = await RawClient.ConnectAsync(broker.Port);
        var ends = new long[3];

        for (var round = 0; round < 6; round++)
        {
            var appendedTo = (round * 2) % 3; // 0, 2, 1, 0, 2, 1: each partition wakes it in turn
            await fetcher.SendAsync(Fetch(topic, TenMinutes, minBytes: 1, (0, ends[0]), (1, ends[1]), (2, ends[2])), FetchVersion, correlationId: round);
            await ParkedAsync(broker, 1); // the answer must come from the wake, not from a first read
            await producer.SendAsync(Produce(topic, appendedTo, records: 2), 7, correlationId: round);
            Assert.Equal(round, (await producer.ReceiveAsync()).CorrelationId);

            var answer = await fetcher.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal(round, answer.CorrelationId);
            var partitions = Decode(answer.Body).Responses.Single().Partitions;
            foreach (var partition in partitions)
            {
                Assert.Equal((short)ErrorCode.None, partition.ErrorCode);
                Assert.Equal(partition.PartitionIndex == appendedTo, partition.Records?.Length > 0);
            }
            ends[appendedTo] += 2;
        }
    }

    [Fact]
    public async Task A_long_poll_waits_across_appends_until_min_bytes_are_there()
    {
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var topic = TestTopics.Unique("minbytes");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var fetcher = await RawClient.ConnectAsync(broker.Port);
        using var producer = await RawClient.ConnectAsync(broker.Port);
        var batchBytes = Batch(records: 1).Length;

        await fetcher.SendAsync(Fetch(topic, TenMinutes, minBytes: batchBytes * 3, (0, 0)), FetchVersion, correlationId: 7);
        await ParkedAsync(broker, 1);
        // Each append wakes the poll; after the first two it is short of min.bytes, reads again and waits again
        // (answered then, it would hold fewer than the three batches asserted below).
        for (var i = 0; i < 3; i++)
        {
            await producer.SendAsync(Produce(topic, partition: 0, records: 1), 7, correlationId: i);
            await producer.ReceiveAsync();
        }

        var (correlationId, body) = await fetcher.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(7, correlationId);
        var partition = Decode(body).Responses.Single().Partitions.Single();
        Assert.Equal(batchBytes * 3, partition.Records?.Length);
    }

    [Fact]
    public async Task Hundreds_of_long_polls_on_one_partition_are_all_answered_by_each_append()
    {
        const int Fetchers = 200;
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var topic = TestTopics.Unique("many");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var producer = await RawClient.ConnectAsync(broker.Port);
        var fetchers = new List<RawClient>();
        try
        {
            for (var i = 0; i < Fetchers; i++)
            {
                fetchers.Add(await RawClient.ConnectAsync(broker.Port));
            }
            // Rounds reuse the broker's pooled fetches: every one must be answered with its own round's records.
            for (var round = 0; round < 3; round++)
            {
                foreach (var fetcher in fetchers)
                {
                    await fetcher.SendAsync(Fetch(topic, TenMinutes, minBytes: 1, (0, round * 2L)), FetchVersion, correlationId: round);
                }
                await ParkedAsync(broker, Fetchers);
                await producer.SendAsync(Produce(topic, partition: 0, records: 2), 7, correlationId: round);
                await producer.ReceiveAsync();

                var answers = await Task.WhenAll(fetchers.Select(f => f.ReceiveAsync())).WaitAsync(TimeSpan.FromSeconds(60));

                foreach (var (correlationId, body) in answers)
                {
                    Assert.Equal(round, correlationId);
                    var records = Decode(body).Responses.Single().Partitions.Single().Records!.Value.Memory;
                    Assert.Equal(round * 2L, RecordBatchHeader.Read(records.Span).BaseOffset);
                }
            }
        }
        finally
        {
            fetchers.ForEach(f => f.Dispose());
        }
    }

    [Fact]
    public async Task Clients_that_leave_while_their_fetches_wait_leave_the_broker_serving_and_its_stop_clean()
    {
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var topic = TestTopics.Unique("gone");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var leaving = new List<RawClient>();
        for (var i = 0; i < 50; i++)
        {
            var client = await RawClient.ConnectAsync(broker.Port);
            await client.SendAsync(Fetch(topic, TenMinutes, minBytes: 1, (0, 0)), FetchVersion, correlationId: i);
            leaving.Add(client);
        }
        await ParkedAsync(broker, 50);
        leaving.ForEach(c => c.Dispose());
        // Their waits end with their connections, not ten minutes later.
        Assert.True(await BrokerMetricsScrape.WaitForAsync(broker, Waiting, v => v == 0, TimeSpan.FromSeconds(30)), "the waits of clients that left are still there");
        using var fetcher = await RawClient.ConnectAsync(broker.Port);
        using var producer = await RawClient.ConnectAsync(broker.Port);
        await fetcher.SendAsync(Fetch(topic, TenMinutes, minBytes: 1, (0, 0)), FetchVersion, correlationId: 99);
        await ParkedAsync(broker, 1);

        await producer.SendAsync(Produce(topic, partition: 0, records: 1), 7, correlationId: 1);
        await producer.ReceiveAsync();
        var answer = await fetcher.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(30));
        // One more waits as the broker stops: the stop ends it.
        await fetcher.SendAsync(Fetch(topic, TenMinutes, minBytes: 1, (0, 1)), FetchVersion, correlationId: 100);
        await ParkedAsync(broker, 1);
        var exit = await broker.StopAsync();

        Assert.Equal(99, answer.CorrelationId);
        Assert.True(Decode(answer.Body).Responses.Single().Partitions.Single().Records?.Length > 0);
        Assert.True(exit == 0, $"exit {exit}\n{broker.Output}");
        Assert.DoesNotContain("Unhandled", broker.Output);
    }

    private const string Waiting = "fastlog_fetch_waiting";

    /// <summary>Until at least <paramref name="count"/> fetches wait in the broker's purgatory.</summary>
    private static async Task ParkedAsync(BrokerProcess broker, int count) =>
        Assert.True(await BrokerMetricsScrape.WaitForAsync(broker, Waiting, v => v >= count, TimeSpan.FromSeconds(30)), $"fewer than {count} fetches ever waited");

    private static FetchResponse Decode(byte[] body) => RawClient.Decode<FetchResponse>(body, FetchVersion);

    private static byte[] Batch(int records) => RecordBatchBuilder.BuildDense(
        new RecordBatchOptions(),
        [.. Enumerable.Range(0, records).Select(i => Record.Create(null, new byte[20], 1_700_000_000_000 + i))]);

    private static ProduceRequest Produce(string topic, int partition, int records) => new()
    {
        Acks = 1,
        TimeoutMs = 10_000,
        TopicData = [new ProduceRequest.TopicProduceData
        {
            Name = topic,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = Batch(records) }],
        }],
    };

    private static FetchRequest Fetch(string topic, int maxWaitMs, int minBytes, params (int Partition, long Offset)[] partitions) => new()
    {
        MaxWaitMs = maxWaitMs,
        MinBytes = minBytes,
        MaxBytes = int.MaxValue,
        Topics = [new FetchRequest.FetchTopic
        {
            Topic = topic,
            Partitions = [.. partitions.Select(p => new FetchRequest.FetchPartition { Partition = p.Partition, FetchOffset = p.Offset, PartitionMaxBytes = 1 << 20 })],
        }],
    };
}
