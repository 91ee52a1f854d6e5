namespace FastLog.Protocol.Records;

/// <summary>Key checks over the batches of a produce request's records field.</summary>
public static class RecordKeys
{
    /// <summary>
    /// Whether every data record of every batch has a key: Kafka refuses keyless records for a compacted topic
    /// (INVALID_RECORD), since compaction could never keep or remove them by key. Compressed batches are
    /// decompressed to look (Kafka does the same); control batches are skipped. Malformed records answer false.
    /// </summary>
    public static bool AllHaveKeys(ReadOnlySpan<byte> batches)
    {
        try
        {
            for (var position = 0; position + RecordBatchLayout.HeaderSize <= batches.Length;)
            {
                var header = RecordBatchHeader.Read(batches[position..]);
                var batch = batches.Slice(position, header.TotalSize);
                position += header.TotalSize;
                if (header.IsControl)
                {
                    continue;
                }
                var section = header.Compression == CompressionType.None
                    ? batch[RecordBatchLayout.Records..]
                    : RecordBatchReader.RecordsSection(batch).Span;
                var reader = new RecordReader(section);
                while (reader.TryRead(out var record))
                {
                    if (!record.HasKey)
                    {
                        return false;
                    }
                }
            }
            return true;
        }
        catch (RecordFormatException)
        {
            return false;
        }
    }
}
