using FastLog.Broker.Fetch;
using FastLog.Broker.Requests;
using FastLog.Protocol.Messages;
using FastLog.Storage;

namespace FastLog.Broker.Tests.Requests;

/// <summary>
/// The fetch path's own codec against the generated messages: every version decodes to the same fields, and the
/// response it writes is byte for byte what <see cref="FetchResponse"/> writes, with its records spliced in at the
/// same places.
/// </summary>
public sealed class FetchExchangeTests
{
    public static TheoryData<short> Versions() => [4, 5, 6, 7, 8, 9, 10, 11];

    [Theory]
    [MemberData(nameof(Versions))]
    public void Decodes_what_the_generated_request_encodes(short version)
    {
        var request = Request();

        var exchange = FetchExchange.Decode(Encode(request, version), version);

        Assert.Equal(request.ReplicaId, exchange.ReplicaId);
        Assert.Equal(request.MaxWaitMs, exchange.MaxWaitMs);
        Assert.Equal(request.MinBytes, exchange.MinBytes);
        Assert.Equal(request.MaxBytes, exchange.MaxBytes);
        Assert.Equal(request.IsolationLevel, exchange.IsolationLevel);
        Assert.Equal(version >= 7 ? request.SessionId : 0, exchange.SessionId);
        Assert.Equal(version >= 7 ? request.SessionEpoch : -1, exchange.SessionEpoch);
        Assert.Equal(request.Topics.Count, exchange.TopicCount);
        for (var t = 0; t < exchange.TopicCount; t++)
        {
            var topic = exchange.Topic(t);
            Assert.Equal(request.Topics[t].Topic, topic.Name);
            Assert.Equal(request.Topics[t].Partitions.Count, topic.Count);
            for (var p = 0; p < topic.Count; p++)
            {
                var sent = request.Topics[t].Partitions[p];
                var decoded = exchange.Partition(topic.First + p);
                Assert.Equal(sent.Partition, decoded.Index);
                Assert.Equal(version >= 9 ? sent.CurrentLeaderEpoch : -1, decoded.CurrentLeaderEpoch);
                Assert.Equal(sent.FetchOffset, decoded.FetchOffset);
                Assert.Equal(version >= 5 ? sent.LogStartOffset : -1, decoded.ClientLogStartOffset);
                Assert.Equal(sent.PartitionMaxBytes, decoded.PartitionMaxBytes);
            }
        }
        exchange.Release();
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Writes_the_response_the_generated_message_writes(short version)
    {
        var exchange = FetchExchange.Decode(Encode(Request(), version), version);
        var expected = new FetchResponse();
        var n = 0;
        for (var t = 0; t < exchange.TopicCount; t++)
        {
            var topic = exchange.Topic(t);
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = topic.Name };
            expected.Responses.Add(topicResponse);
            for (var p = topic.First; p < topic.First + topic.Count; p++, n++)
            {
                ref var result = ref exchange.Partition(p);
                result.ErrorCode = (short)(n == 1 ? ErrorCode.OffsetOutOfRange : ErrorCode.None);
                result.HighWatermark = 100L * n + 5;
                result.LastStableOffset = 100L * n + 4;
                result.LogStartOffset = 3 * n;
                // A region of no segment: the codec only splices it in, nothing reads its bytes here.
                result.Region = n == 1 ? FileRegion.Empty : new FileRegion(null, 4096 * n, 1000 + n);
                topicResponse.Partitions.Add(new FetchResponse.PartitionData
                {
                    PartitionIndex = result.Index,
                    ErrorCode = result.ErrorCode,
                    HighWatermark = result.HighWatermark,
                    LastStableOffset = result.LastStableOffset,
                    LogStartOffset = result.LogStartOffset,
                    AbortedTransactions = null,
                    Records = result.Region.IsEmpty
                        ? new RecordsPayload(ReadOnlyMemory<byte>.Empty)
                        : new RecordsPayload(new FileRegionRecords(result.Region)),
                });
            }
        }

        var (expectedBytes, expectedSplices) = WrittenWithSplices(expected, version);
        var (bytes, splices) = WrittenWithSplices(exchange, version);

        Assert.Equal(expectedBytes, bytes);
        Assert.Equal(expectedSplices, splices);
        exchange.Release();
    }

    [Fact]
    public void A_request_cut_short_or_without_topics_is_malformed()
    {
        var whole = Encode(Request(), 11);

        Assert.Throws<ProtocolException>(() => FetchExchange.Decode(whole.AsMemory(0, whole.Length - 3), 11));
        var nullTopics = new ProtocolWriter();
        nullTopics.WriteInt32(-1);
        nullTopics.WriteInt32(500);
        nullTopics.WriteInt32(1);
        nullTopics.WriteInt32(1 << 20);
        nullTopics.WriteInt8(0);
        nullTopics.WriteInt32(-1); // topics: null
        Assert.Throws<ProtocolException>(() => FetchExchange.Decode(nullTopics.Buffered.ToArray(), 4));
        nullTopics.Release();
    }

    [Fact]
    public void A_version_the_generated_message_does_not_read_is_refused_not_misread()
    {
        var body = Encode(Request(), 11);

        Assert.Throws<ProtocolException>(() => FetchExchange.Decode(body, (short)(FetchRequest.HighestVersion + 1)));
        Assert.Throws<ProtocolException>(() => FetchExchange.Decode(body, (short)(FetchRequest.LowestVersion - 1)));
    }

    [Fact]
    public void A_pooled_exchange_keeps_no_result_of_the_request_before()
    {
        var first = FetchExchange.Decode(Encode(Request(), 11), 11);
        first.Partition(0).Region = new FileRegion(null, 0, 500);
        first.Partition(0).ErrorCode = (short)ErrorCode.KafkaStorageError;
        first.Release();
        var other = new FetchRequest
        {
            Topics = [new FetchRequest.FetchTopic { Topic = "other", Partitions = [new FetchRequest.FetchPartition { Partition = 3, FetchOffset = 9 }] }],
        };

        var second = FetchExchange.Decode(Encode(other, 11), 11);

        Assert.Equal(1, second.TopicCount);
        Assert.Equal("other", second.Topic(0).Name);
        Assert.Equal(1, second.PartitionCount);
        Assert.Equal(3, second.Partition(0).Index);
        Assert.True(second.Partition(0).Region.IsEmpty);
        Assert.Equal(0, second.Partition(0).ErrorCode);
        second.Release();
    }

    private static FetchRequest Request() => new()
    {
        ReplicaId = -1,
        MaxWaitMs = 500,
        MinBytes = 1,
        MaxBytes = 52_428_800,
        IsolationLevel = 1,
        SessionId = 0,
        SessionEpoch = -1,
        Topics =
        [
            new FetchRequest.FetchTopic
            {
                Topic = "orders",
                Partitions =
                [
                    new FetchRequest.FetchPartition { Partition = 0, CurrentLeaderEpoch = 2, FetchOffset = 42, LogStartOffset = 7, PartitionMaxBytes = 1 << 20 },
                    new FetchRequest.FetchPartition { Partition = 5, CurrentLeaderEpoch = 3, FetchOffset = 0, LogStartOffset = -1, PartitionMaxBytes = 1024 },
                ],
            },
            new FetchRequest.FetchTopic
            {
                Topic = "zahlungsvorgänge", // not ASCII: names are compared as UTF-8 bytes
                Partitions = [new FetchRequest.FetchPartition { Partition = 2, FetchOffset = long.MaxValue - 1, PartitionMaxBytes = 0 }],
            },
        ],
        ForgottenTopicsData = [new FetchRequest.ForgottenTopic { Topic = "old", Partitions = [1, 2, 3] }],
        RackId = "rack-a",
    };

    private static byte[] Encode(FetchRequest request, short version)
    {
        var writer = new ProtocolWriter();
        request.Write(writer, version);
        var bytes = writer.Buffered.ToArray();
        writer.Release();
        return bytes;
    }

    /// <summary>The buffered bytes, and each splice as its position and length (the records objects differ).</summary>
    private static (byte[] Bytes, (int Position, int Length)[] Splices) WrittenWithSplices(IMessage message, short version)
    {
        var writer = new ProtocolWriter();
        message.Write(writer, version);
        var result = (writer.Buffered.ToArray(), writer.Splices.Select(s => (s.Position, s.Records.Length)).ToArray());
        writer.Release();
        return result;
    }
}
