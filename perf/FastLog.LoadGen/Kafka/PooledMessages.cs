using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// The throughput workloads' messages: the pool's ready messages in turn, so sending allocates no value per
/// message. Each producer starts at its own place in the pool.
/// </summary>
internal sealed class PooledMessages(PayloadPool pool, int producer, int producers) : IMessageSource
{
    private long _next = (long)pool.Count * producer / producers;

    public Message<Null, byte[]> Next(long sentAt) => pool.Message(_next++);
}
