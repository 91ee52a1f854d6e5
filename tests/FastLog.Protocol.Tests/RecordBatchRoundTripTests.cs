using System.Text;
using FastLog.Protocol.Records;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Protocol.Tests;

public class RecordBatchRoundTripTests
{
    public static TheoryData<CompressionType> Codecs() =>
        [CompressionType.None, CompressionType.Gzip, CompressionType.Snappy, CompressionType.Lz4, CompressionType.Zstd];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void Records_survive_a_round_trip_through_each_codec(CompressionType codec)
    {
        var records = SampleRecords(200);

        var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions { BaseOffset = 1000, Compression = codec }, records);
        var decoded = RecordBatchReader.ReadRecords(batch);

        Assert.True(RecordBatchValidator.Validate(batch).IsValid);
        Assert.Equal(codec, RecordBatchHeader.Read(batch).Compression);
        Assert.Equal(records.Count, decoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(1000 + i, decoded[i].Offset);
            Assert.Equal(records[i].Timestamp, decoded[i].Timestamp);
            Assert.Equal(records[i].Key, decoded[i].Key);
            Assert.Equal(records[i].Value, decoded[i].Value);
            Assert.Equal(records[i].Headers, decoded[i].Headers, HeaderComparer.Instance);
        }
    }

    [Fact]
    public void Header_fields_are_written_where_kafka_reads_them()
    {
        var batch = RecordBatchBuilder.BuildDense(
            new RecordBatchOptions { BaseOffset = 7, PartitionLeaderEpoch = 3, ProducerId = 99, ProducerEpoch = 2, BaseSequence = 5, Transactional = true },
            SampleRecords(3));

        var header = RecordBatchHeader.Read(batch);

        Assert.Equal(7, header.BaseOffset);
        Assert.Equal(3, header.PartitionLeaderEpoch);
        Assert.Equal(99, header.ProducerId);
        Assert.Equal(2, header.ProducerEpoch);
        Assert.Equal(5, header.BaseSequence);
        Assert.True(header.IsTransactional);
        Assert.Equal(2, header.LastOffsetDelta);
        Assert.Equal(3, header.RecordsCount);
        Assert.Equal(batch.Length - 12, header.BatchLength);
    }

    [Fact]
    public void Delete_horizon_is_kept_in_base_timestamp_and_record_times_survive()
    {
        var records = SampleRecords(3);

        var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions { DeleteHorizonMs = 1_800_000_000_000 }, records);
        var header = RecordBatchHeader.Read(batch);

        Assert.True(header.HasDeleteHorizon);
        Assert.Equal(1_800_000_000_000, header.BaseTimestamp);
        Assert.Equal(records.Select(r => r.Timestamp), RecordBatchReader.ReadRecords(batch).Select(r => r.Timestamp));
    }

    [Fact]
    public void Assigning_offsets_keeps_the_crc_valid()
    {
        var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions(), SampleRecords(5));

        RecordBatchHeader.AssignOffsets(batch, 123_456_789_000, 17);

        Assert.True(RecordBatchValidator.Validate(batch).IsValid);
        Assert.Equal(123_456_789_000, RecordBatchHeader.Read(batch).BaseOffset);
        Assert.Equal(123_456_789_004, RecordBatchReader.ReadRecords(batch)[^1].Offset);
    }

    [Fact]
    public void Log_append_time_gives_every_record_the_batch_max_timestamp()
    {
        var batch = RecordBatchBuilder.BuildDense(new RecordBatchOptions { LogAppendTime = true }, SampleRecords(4));

        var decoded = RecordBatchReader.ReadRecords(batch);

        Assert.All(decoded, r => Assert.Equal(RecordBatchHeader.Read(batch).MaxTimestamp, r.Timestamp));
    }

    internal static List<Record> SampleRecords(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new Record(
            0,
            1_700_000_000_000 + i * 3,
            i % 7 == 3 ? null : Encoding.UTF8.GetBytes($"key-{i % 10}"),
            i % 11 == 5 ? null : Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat($"value-{i} ", 1 + i % 9))),
            i % 2 == 0 ? [new RecordHeader("trace", Encoding.UTF8.GetBytes($"t{i}")), new RecordHeader("empty", [])] : [new RecordHeader("n", null)]))];

    private sealed class HeaderComparer : IEqualityComparer<RecordHeader>
    {
        public static readonly HeaderComparer Instance = new();
        public bool Equals(RecordHeader? x, RecordHeader? y) =>
            x?.Key == y?.Key && (x?.Value is null ? y?.Value is null : y?.Value is not null && x.Value.AsSpan().SequenceEqual(y.Value));
        public int GetHashCode(RecordHeader obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
