using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>End-to-end messages: a fresh copy of a pooled value per message, stamped with its send instant.</summary>
internal sealed class StampedMessages(PayloadPool pool, int producer, int producers) : IMessageSource
{
    private long _next = (long)pool.Count * producer / producers;

    public Message<Null, byte[]> Next(long sentAt) => SendStamp.Stamp(pool[_next++], sentAt);
}
