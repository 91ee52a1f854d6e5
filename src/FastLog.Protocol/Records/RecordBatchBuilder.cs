using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FastLog.Protocol.Compression;

namespace FastLog.Protocol.Records;

/// <summary>Fields of a batch that are not derived from its records.</summary>
public sealed record RecordBatchOptions
{
    public long BaseOffset { get; init; }
    public int PartitionLeaderEpoch { get; init; } = -1;
    public CompressionType Compression { get; init; } = CompressionType.None;
    public bool LogAppendTime { get; init; }
    public bool Transactional { get; init; }
    public bool Control { get; init; }

    /// <summary>When set, baseTimestamp holds this delete horizon (attribute bit 6), as the cleaner writes it.</summary>
    public long? DeleteHorizonMs { get; init; }

    public long ProducerId { get; init; } = -1;
    public short ProducerEpoch { get; init; } = -1;
    public int BaseSequence { get; init; } = -1;
}

/// <summary>
/// Encodes a RecordBatch v2 byte-exact with Kafka's layout. Records carry absolute offsets and timestamps;
/// deltas are taken against the batch's base offset and first timestamp.
/// </summary>
public static class RecordBatchBuilder
{
    public static byte[] Build(RecordBatchOptions options, IReadOnlyList<Record> records)
    {
        var output = new ArrayBufferWriter<byte>(256);
        Write(options, records, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Builds a batch whose records take consecutive offsets from the options' base offset.</summary>
    public static byte[] BuildDense(RecordBatchOptions options, IReadOnlyList<Record> records) =>
        Build(options, records.Select((r, i) => r with { Offset = options.BaseOffset + i }).ToList());

    public static void Write(RecordBatchOptions options, IReadOnlyList<Record> records, IBufferWriter<byte> destination)
    {
        if (records.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one record", nameof(records));
        }

        var firstTimestamp = records[0].Timestamp;
        var maxTimestamp = records.Max(r => r.Timestamp);
        var baseTimestamp = options.DeleteHorizonMs ?? firstTimestamp;

        var plain = new ArrayBufferWriter<byte>(records.Count * 64);
        foreach (var record in records)
        {
            WriteRecord(record, options.BaseOffset, baseTimestamp, plain);
        }

        var body = new ArrayBufferWriter<byte>(RecordBatchLayout.HeaderSize + plain.WrittenCount);
        body.Advance(RecordBatchLayout.HeaderSize);
        RecordCompression.Compress(options.Compression, plain.WrittenSpan, body);

        // WrittenSpan is read-only; the header is filled through the array that backs it.
        var batch = body.WrittenMemory;
        var bytes = System.Runtime.InteropServices.MemoryMarshal.AsMemory(batch).Span;
        var attributes = RecordBatchAttributes.Build(
            options.Compression, options.LogAppendTime, options.Transactional, options.Control, options.DeleteHorizonMs.HasValue);

        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.BaseOffset..], options.BaseOffset);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.BatchLength..], bytes.Length - RecordBatchLayout.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.PartitionLeaderEpoch..], options.PartitionLeaderEpoch);
        bytes[RecordBatchLayout.Magic] = RecordBatchLayout.CurrentMagic;
        BinaryPrimitives.WriteInt16BigEndian(bytes[RecordBatchLayout.Attributes..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.LastOffsetDelta..], checked((int)(records[^1].Offset - options.BaseOffset)));
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.BaseTimestamp..], baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.MaxTimestamp..], maxTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(bytes[RecordBatchLayout.ProducerId..], options.ProducerId);
        BinaryPrimitives.WriteInt16BigEndian(bytes[RecordBatchLayout.ProducerEpoch..], options.ProducerEpoch);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.BaseSequence..], options.BaseSequence);
        BinaryPrimitives.WriteInt32BigEndian(bytes[RecordBatchLayout.RecordsCount..], records.Count);
        BinaryPrimitives.WriteUInt32BigEndian(bytes[RecordBatchLayout.Crc..], Crc32C.Compute(bytes[RecordBatchLayout.CrcCoveredStart..]));

        destination.Write(bytes);
    }

    /// <summary>Recomputes the CRC after a change at or past the attributes field.</summary>
    public static void RewriteCrc(Span<byte> batch)
    {
        var total = RecordBatchHeader.ReadBatchLength(batch) + RecordBatchLayout.LogOverhead;
        BinaryPrimitives.WriteUInt32BigEndian(batch[RecordBatchLayout.Crc..], Crc32C.Compute(batch[RecordBatchLayout.CrcCoveredStart..total]));
    }

    private static void WriteRecord(Record record, long baseOffset, long baseTimestamp, IBufferWriter<byte> output)
    {
        var offsetDelta = checked((int)(record.Offset - baseOffset));
        var timestampDelta = record.Timestamp - baseTimestamp;
        var bodySize = 1
            + Varint.SizeOfZigZag(timestampDelta)
            + Varint.SizeOfZigZag(offsetDelta)
            + SizeOfBytes(record.Key)
            + SizeOfBytes(record.Value)
            + Varint.SizeOfZigZag(record.Headers.Count);
        foreach (var header in record.Headers)
        {
            var keyBytes = Encoding.UTF8.GetByteCount(header.Key);
            bodySize += Varint.SizeOfZigZag(keyBytes) + keyBytes + SizeOfBytes(header.Value);
        }

        var span = output.GetSpan(bodySize + Varint.MaxVarintBytes);
        var at = Varint.WriteZigZag(span, bodySize);
        span[at++] = 0;
        at += Varint.WriteZigZag(span[at..], timestampDelta);
        at += Varint.WriteZigZag(span[at..], offsetDelta);
        at += WriteBytes(span[at..], record.Key);
        at += WriteBytes(span[at..], record.Value);
        at += Varint.WriteZigZag(span[at..], record.Headers.Count);
        foreach (var header in record.Headers)
        {
            at += WriteBytes(span[at..], Encoding.UTF8.GetBytes(header.Key));
            at += WriteBytes(span[at..], header.Value);
        }
        output.Advance(at);
    }

    private static int SizeOfBytes(byte[]? bytes) =>
        bytes is null ? 1 : Varint.SizeOfZigZag(bytes.Length) + bytes.Length;

    private static int WriteBytes(Span<byte> span, byte[]? bytes)
    {
        if (bytes is null)
        {
            return Varint.WriteZigZag(span, -1);
        }
        var at = Varint.WriteZigZag(span, bytes.Length);
        bytes.CopyTo(span[at..]);
        return at + bytes.Length;
    }
}
