using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// Messages made once from the payload pool and reused: librdkafka copies the value on Produce(), so the throughput
/// workloads send without allocating a value per message. Each producer starts at its own place in the pool.
/// </summary>
internal sealed class PooledMessages : IMessageSource
{
    private readonly Message<Null, byte[]>[] _messages;
    private long _next;

    public PooledMessages(PayloadPool pool, int producer, int producers)
    {
        _messages = new Message<Null, byte[]>[pool.Count];
        for (var i = 0; i < _messages.Length; i++)
        {
            _messages[i] = new Message<Null, byte[]> { Value = pool[i] };
        }
        _next = (long)pool.Count * producer / producers;
    }

    public Message<Null, byte[]> Next(long sentAt) => _messages[_next++ % _messages.Length];
}
