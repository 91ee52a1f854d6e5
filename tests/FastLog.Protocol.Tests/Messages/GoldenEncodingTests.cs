using FastLog.Protocol.Messages;

namespace FastLog.Protocol.Tests.Messages;

/// <summary>
/// Encodings checked byte by byte against the layout in Kafka's schemas, worked out by hand, so that a
/// generator that writes and reads the same wrong thing cannot pass on its own round trip.
/// </summary>
public class GoldenEncodingTests
{
    [Fact]
    public void ApiVersions_request_v3_uses_compact_strings_and_ends_with_an_empty_tag_buffer()
    {
        var request = new ApiVersionsRequest { ClientSoftwareName = "librdkafka", ClientSoftwareVersion = "2.16.0" };
        byte[] expected =
        [
            0x0B, .. "librdkafka"u8, // compact string: unsigned varint length + 1
            0x07, .. "2.16.0"u8,
            0x00, // no tagged fields
        ];

        Assert.Equal(expected, GeneratedMessages.Encode(request, 3));

        var decoded = Decode<ApiVersionsRequest>(expected, 3);
        Assert.Equal("librdkafka", decoded.ClientSoftwareName);
        Assert.Equal("2.16.0", decoded.ClientSoftwareVersion);
    }

    [Fact]
    public void Metadata_request_v4_lists_topics_then_the_auto_creation_flag()
    {
        var request = new MetadataRequest
        {
            Topics = [new() { Name = "foo" }, new() { Name = "bar" }],
            AllowAutoTopicCreation = false,
        };
        byte[] expected =
        [
            0x00, 0x00, 0x00, 0x02, // int32 array count
            0x00, 0x03, .. "foo"u8, // int16 length + UTF-8
            0x00, 0x03, .. "bar"u8,
            0x00, // AllowAutoTopicCreation = false
        ];

        Assert.Equal(expected, GeneratedMessages.Encode(request, 4));

        var decoded = Decode<MetadataRequest>(expected, 4);
        Assert.Collection(decoded.Topics!, t => Assert.Equal("foo", t.Name), t => Assert.Equal("bar", t.Name));
        Assert.False(decoded.AllowAutoTopicCreation);
    }

    [Fact]
    public void Produce_request_v3_writes_a_null_transactional_id_and_null_records_as_minus_one()
    {
        var request = new ProduceRequest
        {
            TransactionalId = null,
            Acks = -1,
            TimeoutMs = 30_000,
            TopicData =
            [
                new()
                {
                    Name = "t",
                    PartitionData = [new() { Index = 0, Records = new byte[] { 1, 2, 3 } }, new() { Index = 1, Records = null }],
                },
            ],
        };
        byte[] expected =
        [
            0xFF, 0xFF, // TransactionalId: int16 length -1 = null
            0xFF, 0xFF, // Acks = -1
            0x00, 0x00, 0x75, 0x30, // TimeoutMs = 30000
            0x00, 0x00, 0x00, 0x01, // one topic
            0x00, 0x01, (byte)'t',
            0x00, 0x00, 0x00, 0x02, // two partitions
            0x00, 0x00, 0x00, 0x00, // Index 0
            0x00, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03, // records: int32 length + bytes
            0x00, 0x00, 0x00, 0x01, // Index 1
            0xFF, 0xFF, 0xFF, 0xFF, // records: int32 length -1 = null
        ];

        Assert.Equal(expected, GeneratedMessages.Encode(request, 3));

        var decoded = Decode<ProduceRequest>(expected, 3);
        Assert.Null(decoded.TransactionalId);
        Assert.Equal(-1, decoded.Acks);
        Assert.Equal(30_000, decoded.TimeoutMs);
        var partitions = Assert.Single(decoded.TopicData).PartitionData;
        Assert.Equal(new byte[] { 1, 2, 3 }, partitions[0].Records!.Value.Memory.ToArray());
        Assert.Null(partitions[1].Records);
    }

    private static T Decode<T>(byte[] bytes, short version) where T : IMessage, new()
    {
        var message = new T();
        var reader = new ProtocolReader(bytes);
        message.Read(ref reader, version);
        Assert.Equal(0, reader.Remaining);
        return message;
    }
}
