namespace FastLog.Protocol.Records;

/// <summary>Bits of the int16 attributes field of RecordBatch v2.</summary>
public static class RecordBatchAttributes
{
    public const short CompressionMask = 0x07;
    public const short TimestampTypeLogAppendTime = 0x08;
    public const short Transactional = 0x10;
    public const short Control = 0x20;
    public const short HasDeleteHorizon = 0x40;

    /// <summary>Bits 7-15 are unused by every Kafka version; a batch that sets them is invalid.</summary>
    public const short UnusedMask = unchecked((short)0xFF80);

    public static CompressionType Compression(short attributes) => (CompressionType)(attributes & CompressionMask);

    public static short Build(
        CompressionType compression,
        bool logAppendTime = false,
        bool transactional = false,
        bool control = false,
        bool hasDeleteHorizon = false)
    {
        var value = (int)compression;
        if (logAppendTime) value |= TimestampTypeLogAppendTime;
        if (transactional) value |= Transactional;
        if (control) value |= Control;
        if (hasDeleteHorizon) value |= HasDeleteHorizon;
        return (short)value;
    }
}
