using System.Text.Json;
using FastLog.Protocol.Records;

namespace FastLog.Protocol.Tests;

/// <summary>Batches encoded by kafkajs 2.2.4 (an independent implementation), one per codec; see tests/fixtures/kafkajs.</summary>
public class KafkajsFixtureTests
{
    public static TheoryData<string> Fixtures() =>
        ["none", "gzip", "snappy", "snappy-xerial", "lz4", "zstd", "idempotent", "transactional", "control-commit"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Header_fields_match_what_kafkajs_encoded(string name)
    {
        var (bytes, expected) = Load(name);

        var header = RecordBatchHeader.Read(bytes);

        Assert.Equal(expected.GetProperty("baseOffset").GetInt64(), header.BaseOffset);
        Assert.Equal(expected.GetProperty("batchLength").GetInt32(), header.BatchLength);
        Assert.Equal(bytes.Length, header.TotalSize);
        Assert.Equal(2, header.Magic);
        Assert.Equal(expected.GetProperty("crc").GetUInt32(), header.Crc);
        Assert.Equal(expected.GetProperty("attributes").GetInt16(), header.Attributes);
        Assert.Equal((CompressionType)expected.GetProperty("compression").GetInt32(), header.Compression);
        Assert.Equal(expected.GetProperty("isTransactional").GetBoolean(), header.IsTransactional);
        Assert.Equal(expected.GetProperty("isControl").GetBoolean(), header.IsControl);
        Assert.Equal(expected.GetProperty("lastOffsetDelta").GetInt32(), header.LastOffsetDelta);
        Assert.Equal(expected.GetProperty("baseTimestamp").GetInt64(), header.BaseTimestamp);
        Assert.Equal(expected.GetProperty("maxTimestamp").GetInt64(), header.MaxTimestamp);
        Assert.Equal(expected.GetProperty("producerId").GetInt64(), header.ProducerId);
        Assert.Equal(expected.GetProperty("producerEpoch").GetInt16(), header.ProducerEpoch);
        Assert.Equal(expected.GetProperty("baseSequence").GetInt32(), header.BaseSequence);
        Assert.Equal(expected.GetProperty("recordCount").GetInt32(), header.RecordsCount);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Batch_validates_including_its_crc32c(string name)
    {
        var (bytes, _) = Load(name);

        var validation = RecordBatchValidator.Validate(bytes);

        Assert.True(validation.IsValid, validation.Message);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Records_decode_to_what_kafkajs_encoded(string name)
    {
        var (bytes, expected) = Load(name);
        var header = RecordBatchHeader.Read(bytes);

        var records = RecordBatchReader.ReadRecords(bytes);

        var expectedRecords = expected.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(expectedRecords.Count, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var want = expectedRecords[i];
            var got = records[i];
            Assert.Equal(header.BaseOffset + want.GetProperty("offsetDelta").GetInt64(), got.Offset);
            Assert.Equal(header.BaseTimestamp + want.GetProperty("timestampDelta").GetInt64(), got.Timestamp);
            Assert.Equal(Base64OrNull(want.GetProperty("key")), got.Key);
            Assert.Equal(Base64OrNull(want.GetProperty("value")), got.Value);
            var wantHeaders = want.GetProperty("headers").EnumerateArray().ToList();
            Assert.Equal(wantHeaders.Count, got.Headers.Count);
            for (var h = 0; h < wantHeaders.Count; h++)
            {
                Assert.Equal(wantHeaders[h].GetProperty("key").GetString(), got.Headers[h].Key);
                Assert.Equal(Base64OrNull(wantHeaders[h].GetProperty("value")), got.Headers[h].Value);
            }
        }
    }

    [Fact]
    public void Control_batch_carries_a_commit_marker()
    {
        var (bytes, _) = Load("control-commit");

        var record = Assert.Single(RecordBatchReader.ReadRecords(bytes));

        Assert.True(ControlRecord.TryReadType(record.Key, out var type));
        Assert.Equal(ControlRecordType.Commit, type);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Rebuilding_the_records_with_our_writer_gives_the_same_uncompressed_bytes(string name)
    {
        var (bytes, _) = Load(name);
        var header = RecordBatchHeader.Read(bytes);
        var records = RecordBatchReader.ReadRecords(bytes);

        var rebuilt = RecordBatchBuilder.Build(
            new RecordBatchOptions
            {
                BaseOffset = header.BaseOffset,
                PartitionLeaderEpoch = header.PartitionLeaderEpoch,
                Compression = CompressionType.None,
                Transactional = header.IsTransactional,
                Control = header.IsControl,
                ProducerId = header.ProducerId,
                ProducerEpoch = header.ProducerEpoch,
                BaseSequence = header.BaseSequence,
            },
            records);

        Assert.Equal(
            RecordBatchReader.RecordsSection(bytes).ToArray(),
            RecordBatchReader.RecordsSection(rebuilt).ToArray());
        if (header.Compression == CompressionType.None)
        {
            Assert.Equal(bytes, rebuilt); // byte-exact with kafkajs, CRC included
        }
    }

    internal static (byte[] Bytes, JsonElement Expected) Load(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "fixtures", "kafkajs");
        var bytes = File.ReadAllBytes(Path.Combine(directory, name + ".bin"));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, name + ".json")));
        return (bytes, json.RootElement.Clone());
    }

    private static byte[]? Base64OrNull(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : Convert.FromBase64String(element.GetString()!);
}
