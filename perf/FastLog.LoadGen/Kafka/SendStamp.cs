using System.Buffers.Binary;
using Confluent.Kafka;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// How end-to-end messages carry their send instant. The record timestamp (CreateTime) is set to it, as Kafka
/// tools do, but it has only millisecond resolution and a broker configured for LogAppendTime overwrites it; so the
/// first 8 bytes of the value also hold the instant in clock ticks (little-endian). Producer and consumer run in this
/// one process and share the clock, so the consumer reads it back exactly.
/// </summary>
internal static class SendStamp
{
    public const int Bytes = sizeof(long);

    public static Message<Null, byte[]> Stamp(byte[] template, long sentAt)
    {
        var value = (byte[])template.Clone();
        if (value.Length >= Bytes)
        {
            BinaryPrimitives.WriteInt64LittleEndian(value, sentAt);
        }
        return new Message<Null, byte[]> { Value = value, Timestamp = new Timestamp(Clock.Utc(sentAt)) };
    }

    /// <summary>
    /// The send instant of a consumed message: the stamp in the value when it is there and plausible (inside this
    /// run: a record that some other writer put in the topic holds letters, not a recent clock value), else the record
    /// timestamp when it is a CreateTime; null when neither can be trusted.
    /// </summary>
    public static long? Read(Message<Ignore, byte[]> message, long runStart, long now)
    {
        if (message.Value is { Length: >= Bytes } value)
        {
            var stamped = BinaryPrimitives.ReadInt64LittleEndian(value);
            if (stamped >= runStart && stamped <= now)
            {
                return stamped;
            }
        }
        if (message.Timestamp.Type == TimestampType.CreateTime)
        {
            var fromRecord = Clock.FromUtc(message.Timestamp.UtcDateTime);
            if (fromRecord >= runStart - Clock.Ticks(1) && fromRecord <= now)
            {
                return fromRecord;
            }
        }
        return null;
    }
}
