namespace FastLog.Protocol.Records;

/// <summary>Byte positions of the RecordBatch v2 header (Kafka's DefaultRecordBatch).</summary>
public static class RecordBatchLayout
{
    public const int BaseOffset = 0;
    public const int BatchLength = 8;
    public const int PartitionLeaderEpoch = 12;
    public const int Magic = 16;
    public const int Crc = 17;
    public const int Attributes = 21;
    public const int LastOffsetDelta = 23;
    public const int BaseTimestamp = 27;
    public const int MaxTimestamp = 35;
    public const int ProducerId = 43;
    public const int ProducerEpoch = 51;
    public const int BaseSequence = 53;
    public const int RecordsCount = 57;
    public const int Records = 61;

    /// <summary>Bytes before batchLength's count starts: baseOffset and batchLength themselves.</summary>
    public const int LogOverhead = 12;

    /// <summary>The fixed header; also the smallest possible batch (zero records).</summary>
    public const int HeaderSize = Records;

    public const byte CurrentMagic = 2;

    /// <summary>The CRC covers attributes to the end of the batch.</summary>
    public const int CrcCoveredStart = Attributes;

    /// <summary>The smallest record: length, attributes, timestampDelta, offsetDelta, key -1, value -1, 0 headers.</summary>
    public const int MinRecordSize = 7;
}
