using System.Text;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using ErrorCode = FastLog.Protocol.Messages.ErrorCode;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Tests;

/// <summary>
/// The idempotent producer end to end: librdkafka through connections cut at random, Kafka's epoch and
/// sequence answers on raw requests, and duplicates still recognised after kill -9.
/// </summary>
public sealed class IdempotentProducerTests
{
    private const short InitProducerIdVersion = 4;
    private const short ProduceVersion = 7;

    [Fact]
    public async Task An_idempotent_producer_whose_connections_are_cut_at_random_writes_each_message_exactly_once_in_order()
    {
        const int messages = 100_000;
        await using var proxy = new ChaosProxy(minBytesBetweenCuts: 200 * 1024, maxBytesBetweenCuts: 2000 * 1024, maxCuts: 12, seed: 20250);
        await using var broker = await BrokerProcess.StartAsync(null, $"advertised.listeners=PLAINTEXT://127.0.0.1:{proxy.Port}");
        proxy.BrokerPort = broker.Port;
        var topic = TestTopics.Unique("idempotent-chaos");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        var failures = 0;
        using var producer = Clients.Producer<Null, string>(broker, c =>
        {
            c.EnableIdempotence = true;
            c.Acks = Acks.All;
            c.MessageTimeoutMs = 300_000; // nothing may time out: a timed-out message would be a gap, not a test result
            c.BatchSize = 16 * 1024; // Java's default: many requests, so cuts fall between requests and responses
            c.ReconnectBackoffMs = 10;
            c.ReconnectBackoffMaxMs = 200;
            c.RetryBackoffMs = 10;
        });

        proxy.Armed = true;
        for (var i = 0; i < messages; i++)
        {
            producer.Produce(topic, new Message<Null, string> { Value = Value(i) }, report =>
            {
                if (report.Error.IsError)
                {
                    Interlocked.Increment(ref failures);
                }
            });
        }
        var unsent = producer.Flush(TimeSpan.FromMinutes(2));
        proxy.Armed = false;

        using var consumer = Clients.Consumer<Null, string>(broker);
        var values = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning, TimeSpan.FromMinutes(2)).Select(r => r.Message.Value).ToList();

        Assert.Equal(0, unsent);
        Assert.Equal(0, failures);
        Assert.True(proxy.Cuts >= 3, $"only {proxy.Cuts} connections were cut");
        Assert.True(proxy.DroppedResponses >= 1, "no response was lost, so nothing was retried after being written");
        Assert.Equal(messages, values.Count);
        var firstWrong = Enumerable.Range(0, messages).FirstOrDefault(i => values[i] != Value(i), -1);
        Assert.True(firstWrong < 0, $"offset {firstWrong} holds {values[Math.Max(firstWrong, 0)][..8]}, expected {Value(Math.Max(firstWrong, 0))[..8]}");
        broker.DeleteData();
    }

    [Fact]
    public async Task Raw_requests_get_kafkas_answers_for_fenced_epochs_sequence_gaps_and_duplicates()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var topic = TestTopics.Unique("idempotent-raw");
        await Clients.CreateTopicAsync(broker, topic, partitions: 1);
        using var client = await RawClient.ConnectAsync(broker.Port);
        var producer = await InitProducerIdAsync(client, new InitProducerIdRequest());
        var other = await InitProducerIdAsync(client, new InitProducerIdRequest());

        var first = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 0, records: 3));
        var second = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 3, records: 2));
        var retry = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 0, records: 3));
        var gap = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 9, records: 1));
        var bumped = await InitProducerIdAsync(client, new InitProducerIdRequest { ProducerId = producer.ProducerId, ProducerEpoch = 0 });
        var newEpochNotAtZero = await ProduceAsync(client, topic, Batch(producer.ProducerId, 1, baseSequence: 5, records: 1));
        var newEpoch = await ProduceAsync(client, topic, Batch(producer.ProducerId, 1, baseSequence: 0, records: 1));
        var fenced = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 5, records: 1));
        var transactional = await InitProducerIdAsync(client, new InitProducerIdRequest { TransactionalId = "payments-tx", TransactionTimeoutMs = 60_000 });
        var halfBump = await InitProducerIdAsync(client, new InitProducerIdRequest { ProducerId = producer.ProducerId });

        Assert.Equal(((short)0, (short)0), (producer.ErrorCode, producer.ProducerEpoch));
        Assert.NotEqual(producer.ProducerId, other.ProducerId);
        Assert.Equal((ErrorCode.None, 0L), first);
        Assert.Equal((ErrorCode.None, 3L), second);
        Assert.Equal((ErrorCode.None, 0L), retry); // not written again: the original's offset
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Error);
        Assert.Equal((producer.ProducerId, (short)1), (bumped.ProducerId, bumped.ProducerEpoch));
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, newEpochNotAtZero.Error);
        Assert.Equal((ErrorCode.None, 5L), newEpoch);
        Assert.Equal(ErrorCode.InvalidProducerEpoch, fenced.Error);
        Assert.Equal((short)ErrorCode.TransactionalIdAuthorizationFailed, transactional.ErrorCode);
        Assert.Equal((short)ErrorCode.InvalidRequest, halfBump.ErrorCode);
        Assert.Equal(6, await HighWatermarkAsync(client, topic));
    }

    [Fact]
    public async Task After_kill_9_a_retried_batch_still_gets_its_original_offset()
    {
        var topic = TestTopics.Unique("idempotent-kill");
        await using var first = await BrokerProcess.StartAsync();
        // Small segments: the restart finds producer snapshots taken at rolls and a tail written after them.
        await Clients.CreateTopicAsync(first, topic, partitions: 1, new Dictionary<string, string> { ["segment.bytes"] = "4096" });
        InitProducerIdResponse producer;
        using (var client = await RawClient.ConnectAsync(first.Port))
        {
            producer = await InitProducerIdAsync(client, new InitProducerIdRequest());
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal((ErrorCode.None, 3L * i), await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 3 * i, records: 3)));
            }
        }
        await first.KillAsync();

        await using var second = await BrokerProcess.StartAsync(first.DataDir);
        (ErrorCode, long) lastRetried, olderRetried, next, gap;
        InitProducerIdResponse afterRestart;
        using (var client = await RawClient.ConnectAsync(second.Port))
        {
            lastRetried = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 27, records: 3));
            olderRetried = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 18, records: 3));
            next = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 30, records: 3));
            gap = await ProduceAsync(client, topic, Batch(producer.ProducerId, 0, baseSequence: 40, records: 3));
            afterRestart = await InitProducerIdAsync(client, new InitProducerIdRequest());
        }
        Assert.True(await second.StopAsync() == 0, second.Output);

        await using var third = await BrokerProcess.StartAsync(first.DataDir);
        using var again = await RawClient.ConnectAsync(third.Port);
        var retriedAfterCleanRestart = await ProduceAsync(again, topic, Batch(producer.ProducerId, 0, baseSequence: 30, records: 3));

        Assert.Equal((ErrorCode.None, 27L), lastRetried);
        Assert.Equal((ErrorCode.None, 18L), olderRetried);
        Assert.Equal((ErrorCode.None, 30L), next);
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, gap.Item1);
        Assert.True(afterRestart.ProducerId > producer.ProducerId, "a producer id was handed out twice");
        Assert.Equal((ErrorCode.None, 30L), retriedAfterCleanRestart);
        third.DeleteData();
    }

    private static string Value(int i) => i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + new string('.', 92);

    private static byte[] Batch(long producerId, short epoch, int baseSequence, int records) => RecordBatchBuilder.BuildDense(
        new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence },
        [.. Enumerable.Range(0, records).Select(i => Record.Create(null, Encoding.UTF8.GetBytes(new string('x', 300)), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()))]);

    private static async Task<InitProducerIdResponse> InitProducerIdAsync(RawClient client, InitProducerIdRequest request)
    {
        await client.SendAsync(request, InitProducerIdVersion, correlationId: 1);
        return RawClient.Decode<InitProducerIdResponse>((await client.ReceiveAsync(flexibleHeader: true)).Body, InitProducerIdVersion);
    }

    /// <summary>One batch to partition 0 with acks=all; the partition's error and base offset.</summary>
    private static async Task<(ErrorCode Error, long BaseOffset)> ProduceAsync(RawClient client, string topic, byte[] batch)
    {
        var request = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 10_000,
            TopicData = [new ProduceRequest.TopicProduceData
            {
                Name = topic,
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = 0, Records = batch }],
            }],
        };
        await client.SendAsync(request, ProduceVersion, correlationId: 2);
        var partition = RawClient.Decode<ProduceResponse>((await client.ReceiveAsync()).Body, ProduceVersion).Responses.Single().PartitionResponses.Single();
        return ((ErrorCode)partition.ErrorCode, partition.BaseOffset);
    }

    private static async Task<long> HighWatermarkAsync(RawClient client, string topic)
    {
        var fetch = new FetchRequest
        {
            MaxWaitMs = 0,
            MinBytes = 1,
            MaxBytes = 1 << 20,
            Topics = [new FetchRequest.FetchTopic
            {
                Topic = topic,
                Partitions = [new FetchRequest.FetchPartition { Partition = 0, FetchOffset = 0, PartitionMaxBytes = 1 << 20 }],
            }],
        };
        await client.SendAsync(fetch, 11, correlationId: 3);
        return RawClient.Decode<FetchResponse>((await client.ReceiveAsync()).Body, 11).Responses.Single().Partitions.Single().HighWatermark;
    }
}
