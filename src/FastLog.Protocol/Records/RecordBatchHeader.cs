using System.Buffers.Binary;

namespace FastLog.Protocol.Records;

/// <summary>The 61-byte header of a RecordBatch v2, read field by field from the batch bytes.</summary>
public readonly struct RecordBatchHeader
{
    public long BaseOffset { get; init; }
    public int BatchLength { get; init; }
    public int PartitionLeaderEpoch { get; init; }
    public byte Magic { get; init; }
    public uint Crc { get; init; }
    public short Attributes { get; init; }
    public int LastOffsetDelta { get; init; }
    public long BaseTimestamp { get; init; }
    public long MaxTimestamp { get; init; }
    public long ProducerId { get; init; }
    public short ProducerEpoch { get; init; }
    public int BaseSequence { get; init; }
    public int RecordsCount { get; init; }

    /// <summary>Whole batch on the wire and on disk: batchLength counts the bytes after itself.</summary>
    public int TotalSize => BatchLength + RecordBatchLayout.LogOverhead;

    public long LastOffset => BaseOffset + LastOffsetDelta;
    public long NextOffset => LastOffset + 1;
    public CompressionType Compression => RecordBatchAttributes.Compression(Attributes);
    public bool IsTransactional => (Attributes & RecordBatchAttributes.Transactional) != 0;
    public bool IsControl => (Attributes & RecordBatchAttributes.Control) != 0;
    public bool IsLogAppendTime => (Attributes & RecordBatchAttributes.TimestampTypeLogAppendTime) != 0;
    public bool HasDeleteHorizon => (Attributes & RecordBatchAttributes.HasDeleteHorizon) != 0;

    /// <summary>Reads the header; the span must hold at least <see cref="RecordBatchLayout.HeaderSize"/> bytes.</summary>
    public static RecordBatchHeader Read(ReadOnlySpan<byte> batch)
    {
        if (batch.Length < RecordBatchLayout.HeaderSize)
        {
            throw new ArgumentException($"a record batch header needs {RecordBatchLayout.HeaderSize} bytes, got {batch.Length}", nameof(batch));
        }

        return new RecordBatchHeader
        {
            BaseOffset = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchLayout.BaseOffset..]),
            BatchLength = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.BatchLength..]),
            PartitionLeaderEpoch = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.PartitionLeaderEpoch..]),
            Magic = batch[RecordBatchLayout.Magic],
            Crc = BinaryPrimitives.ReadUInt32BigEndian(batch[RecordBatchLayout.Crc..]),
            Attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchLayout.Attributes..]),
            LastOffsetDelta = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.LastOffsetDelta..]),
            BaseTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchLayout.BaseTimestamp..]),
            MaxTimestamp = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchLayout.MaxTimestamp..]),
            ProducerId = BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchLayout.ProducerId..]),
            ProducerEpoch = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchLayout.ProducerEpoch..]),
            BaseSequence = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.BaseSequence..]),
            RecordsCount = BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.RecordsCount..]),
        };
    }

    /// <summary>Stamps the fields the broker owns. Neither is covered by the CRC, so the CRC stays valid.</summary>
    public static void AssignOffsets(Span<byte> batch, long baseOffset, int partitionLeaderEpoch)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchLayout.BaseOffset..], baseOffset);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchLayout.PartitionLeaderEpoch..], partitionLeaderEpoch);
    }

    /// <summary>The record's offset range without reading the whole header.</summary>
    public static long ReadBaseOffset(ReadOnlySpan<byte> batch) =>
        BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchLayout.BaseOffset..]);

    public static int ReadBatchLength(ReadOnlySpan<byte> batch) =>
        BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.BatchLength..]);

    public static int ReadLastOffsetDelta(ReadOnlySpan<byte> batch) =>
        BinaryPrimitives.ReadInt32BigEndian(batch[RecordBatchLayout.LastOffsetDelta..]);

    public static long ReadMaxTimestamp(ReadOnlySpan<byte> batch) =>
        BinaryPrimitives.ReadInt64BigEndian(batch[RecordBatchLayout.MaxTimestamp..]);
}
