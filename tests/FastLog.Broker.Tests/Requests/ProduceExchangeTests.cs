using FastLog.Broker.Requests;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Tests.Requests;

/// <summary>
/// The produce path's own codec against the generated messages: every version decodes to the same fields, and the
/// response it writes is byte for byte what <see cref="ProduceResponse"/> writes.
/// </summary>
public sealed class ProduceExchangeTests
{
    public static TheoryData<short> Versions() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(Versions))]
    public void Decodes_what_the_generated_request_encodes(short version)
    {
        var request = Request(transactionalId: version >= 3 ? "tx" : null);

        var exchange = ProduceExchange.Decode(Encode(request, version), version);

        Assert.Equal(version >= 3, exchange.Transactional);
        Assert.Equal(request.Acks, exchange.Acks);
        Assert.Equal(request.TimeoutMs, exchange.TimeoutMs);
        Assert.Equal(request.TopicData.Count, exchange.TopicCount);
        for (var t = 0; t < exchange.TopicCount; t++)
        {
            var topic = exchange.Topic(t);
            Assert.Equal(request.TopicData[t].Name, topic.Name);
            Assert.Equal(request.TopicData[t].PartitionData.Count, topic.Count);
            for (var p = 0; p < topic.Count; p++)
            {
                var sent = request.TopicData[t].PartitionData[p];
                var decoded = exchange.Partition(topic.First + p);
                Assert.Equal(sent.Index, decoded.Index);
                Assert.Equal(sent.Records?.Memory.ToArray(), decoded.Records?.ToArray());
                Assert.Equal(-1, decoded.BaseOffset);
            }
        }
        exchange.Release();
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void Writes_the_response_the_generated_message_writes(short version)
    {
        var request = Request(transactionalId: null);
        var exchange = ProduceExchange.Decode(Encode(request, version), version);
        var expected = new ProduceResponse();
        var n = 0;
        for (var t = 0; t < exchange.TopicCount; t++)
        {
            var topic = exchange.Topic(t);
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            expected.Responses.Add(topicResponse);
            for (var p = topic.First; p < topic.First + topic.Count; p++, n++)
            {
                ref var result = ref exchange.Partition(p);
                result.ErrorCode = (short)(n == 1 ? ErrorCode.UnknownTopicOrPartition : ErrorCode.None);
                result.BaseOffset = n == 1 ? -1 : 1000L * n;
                result.LogAppendTimeMs = n == 2 ? 1_700_000_000_123 : -1;
                result.LogStartOffset = 7 * n;
                topicResponse.PartitionResponses.Add(new ProduceResponse.PartitionProduceResponse
                {
                    Index = result.Index,
                    ErrorCode = result.ErrorCode,
                    BaseOffset = result.BaseOffset,
                    LogAppendTimeMs = result.LogAppendTimeMs,
                    LogStartOffset = result.LogStartOffset,
                });
            }
        }

        Assert.Equal(Written(expected, version), Written(exchange, version));
        exchange.Release();
    }

    [Fact]
    public void A_request_cut_short_or_without_topics_is_malformed()
    {
        var whole = Encode(Request(transactionalId: null), 7);

        Assert.Throws<ProtocolException>(() => ProduceExchange.Decode(whole.AsMemory(0, whole.Length - 5), 7));
        var nullTopics = new ProtocolWriter();
        nullTopics.WriteNullableString(null, flexible: false);
        nullTopics.WriteInt16(1);
        nullTopics.WriteInt32(1000);
        nullTopics.WriteInt32(-1);
        Assert.Throws<ProtocolException>(() => ProduceExchange.Decode(nullTopics.Buffered.ToArray(), 7));
        nullTopics.Release();
    }

    [Fact]
    public void A_version_beyond_the_generated_message_is_refused_not_misread()
    {
        var body = Encode(Request(transactionalId: null), 7);

        Assert.Throws<ProtocolException>(() => ProduceExchange.Decode(body, (short)(ProduceRequest.HighestVersion + 1)));
    }

    [Fact]
    public void A_pooled_exchange_does_not_keep_the_topic_names_of_the_request_before_in_its_fields()
    {
        var first = ProduceExchange.Decode(Encode(Request(transactionalId: null), 7), 7);
        first.Release();
        var other = new ProduceRequest
        {
            Acks = -1,
            TimeoutMs = 5,
            TopicData = [new ProduceRequest.TopicProduceData { Name = "other", PartitionData = [new ProduceRequest.PartitionProduceData { Index = 3, Records = new byte[] { 9 } }] }],
        };

        var second = ProduceExchange.Decode(Encode(other, 7), 7);

        Assert.Equal(1, second.TopicCount);
        Assert.Equal("other", second.Topic(0).Name);
        Assert.Equal(3, second.Partition(0).Index);
        Assert.Equal(-1, second.Acks);
        second.Release();
    }

    private static ProduceRequest Request(string? transactionalId) => new()
    {
        TransactionalId = transactionalId,
        Acks = 1,
        TimeoutMs = 30_000,
        TopicData =
        [
            new ProduceRequest.TopicProduceData
            {
                Name = "orders",
                PartitionData =
                [
                    new ProduceRequest.PartitionProduceData { Index = 0, Records = new byte[] { 1, 2, 3 } },
                    new ProduceRequest.PartitionProduceData { Index = 4, Records = null },
                ],
            },
            new ProduceRequest.TopicProduceData
            {
                Name = "zahlungsvorgänge", // not ASCII: names are compared as UTF-8 bytes
                PartitionData = [new ProduceRequest.PartitionProduceData { Index = 2, Records = new byte[] { 4, 5 } }],
            },
        ],
    };

    private static byte[] Encode(ProduceRequest request, short version) => Written(request, version);

    private static byte[] Written(IMessage message, short version)
    {
        var writer = new ProtocolWriter();
        message.Write(writer, version);
        var bytes = writer.Buffered.ToArray();
        writer.Release();
        return bytes;
    }
}
