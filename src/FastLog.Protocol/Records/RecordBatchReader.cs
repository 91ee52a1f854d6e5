using System.Buffers;
using FastLog.Protocol.Compression;

namespace FastLog.Protocol.Records;

/// <summary>Decodes the records of one batch, decompressing when needed. For tools, tests and the cleaner.</summary>
public static class RecordBatchReader
{
    /// <summary>Default ceiling for decompressed records: Kafka's largest message.max.bytes is far below it.</summary>
    public const int DefaultMaxDecompressedBytes = 256 * 1024 * 1024;

    /// <summary>The uncompressed records section of a validated batch.</summary>
    public static ReadOnlyMemory<byte> RecordsSection(ReadOnlySpan<byte> batch, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        var header = RecordBatchHeader.Read(batch);
        var section = batch[RecordBatchLayout.Records..header.TotalSize];
        if (header.Compression == CompressionType.None)
        {
            return section.ToArray();
        }
        var output = new ArrayBufferWriter<byte>(Math.Max(section.Length * 4, 256));
        RecordCompression.Decompress(header.Compression, section, output, maxDecompressedBytes);
        return output.WrittenMemory;
    }

    /// <summary>All records with absolute offsets and timestamps. Throws <see cref="RecordFormatException"/> on malformed records.</summary>
    public static List<Record> ReadRecords(ReadOnlySpan<byte> batch, int maxDecompressedBytes = DefaultMaxDecompressedBytes)
    {
        var header = RecordBatchHeader.Read(batch);
        var section = RecordsSection(batch, maxDecompressedBytes);
        var records = new List<Record>(Math.Min(header.RecordsCount, 4096));
        var reader = new RecordReader(section.Span);
        while (reader.TryRead(out var view))
        {
            if (records.Count == header.RecordsCount)
            {
                throw new RecordFormatException($"batch holds more records than its count of {header.RecordsCount}");
            }
            // With LogAppendTime every record takes the batch's maxTimestamp (Kafka's DefaultRecordBatch).
            var timestamp = header.IsLogAppendTime ? header.MaxTimestamp : header.BaseTimestamp + view.TimestampDelta;
            records.Add(new Record(
                header.BaseOffset + view.OffsetDelta,
                timestamp,
                view.HasKey ? view.Key.ToArray() : null,
                view.HasValue ? view.Value.ToArray() : null,
                RecordReader.DecodeHeaders(view)));
        }
        if (records.Count != header.RecordsCount)
        {
            throw new RecordFormatException($"batch says {header.RecordsCount} records but holds {records.Count}");
        }
        return records;
    }
}
