namespace FastLog.Protocol.Records;

/// <summary>
/// Checks a batch in place, reading only its header and hashing its bytes: no record is copied or decoded.
/// This is what stands between a producer's bytes and the log, and what recovery runs over the disk.
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>
    /// Validates the batch that starts at <paramref name="bytes"/>[0]. The span may hold more batches after it.
    /// </summary>
    /// <param name="maxBatchBytes">Largest whole batch accepted (max.message.bytes on produce).</param>
    /// <param name="requireDenseOffsets">
    /// A producer's batch has one record per offset (count = lastOffsetDelta + 1); a compacted batch on disk may
    /// have gaps, so recovery and replication pass false.
    /// </param>
    public static BatchValidation Validate(ReadOnlySpan<byte> bytes, int maxBatchBytes = int.MaxValue, bool requireDenseOffsets = true)
    {
        if (bytes.Length < RecordBatchLayout.HeaderSize)
        {
            return BatchValidation.Fail(BatchValidationError.Truncated, $"{bytes.Length} bytes cannot hold a {RecordBatchLayout.HeaderSize}-byte batch header");
        }

        var batchLength = RecordBatchHeader.ReadBatchLength(bytes);
        if (batchLength < RecordBatchLayout.HeaderSize - RecordBatchLayout.LogOverhead)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidLength, $"batchLength {batchLength} is smaller than a batch header");
        }
        var totalSize = (long)batchLength + RecordBatchLayout.LogOverhead;
        if (totalSize > maxBatchBytes)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidLength, $"batch of {totalSize} bytes exceeds the limit of {maxBatchBytes}");
        }
        if (totalSize > bytes.Length)
        {
            return BatchValidation.Fail(BatchValidationError.Truncated, $"batch of {totalSize} bytes but only {bytes.Length} at hand");
        }

        var header = RecordBatchHeader.Read(bytes);
        if (header.Magic != RecordBatchLayout.CurrentMagic)
        {
            return BatchValidation.Fail(BatchValidationError.UnsupportedMagic, $"magic {header.Magic}, only 2 is supported");
        }

        var covered = bytes[RecordBatchLayout.CrcCoveredStart..(int)totalSize];
        var crc = Crc32C.Compute(covered);
        if (crc != header.Crc)
        {
            return BatchValidation.Fail(BatchValidationError.CrcMismatch, $"CRC-32C is 0x{crc:x8}, batch says 0x{header.Crc:x8}");
        }

        return ValidateCounts(header, requireDenseOffsets);
    }

    private static BatchValidation ValidateCounts(in RecordBatchHeader header, bool requireDenseOffsets)
    {
        if ((int)header.Compression > (int)CompressionType.Zstd)
        {
            return BatchValidation.Fail(BatchValidationError.UnknownCompression, $"unknown compression codec {(int)header.Compression}");
        }
        if (header.RecordsCount < 0 || header.LastOffsetDelta < 0)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"record count {header.RecordsCount} and lastOffsetDelta {header.LastOffsetDelta} must not be negative");
        }

        var recordsBytes = header.TotalSize - RecordBatchLayout.HeaderSize;
        if (header.Compression == CompressionType.None && (long)header.RecordsCount * RecordBatchLayout.MinRecordSize > recordsBytes)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"{header.RecordsCount} records cannot fit in {recordsBytes} bytes");
        }

        if (header.IsControl && header.RecordsCount != 1)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"a control batch holds exactly one record, not {header.RecordsCount}");
        }

        if (requireDenseOffsets)
        {
            if (header.RecordsCount == 0)
            {
                return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, "batch has no records");
            }
            if (header.RecordsCount != header.LastOffsetDelta + 1L)
            {
                return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"record count {header.RecordsCount} does not match lastOffsetDelta {header.LastOffsetDelta}");
            }
        }
        else if (header.RecordsCount > header.LastOffsetDelta + 1L)
        {
            return BatchValidation.Fail(BatchValidationError.InvalidRecordCount, $"record count {header.RecordsCount} exceeds the offset range of {header.LastOffsetDelta + 1L}");
        }

        return BatchValidation.Ok(header);
    }
}
