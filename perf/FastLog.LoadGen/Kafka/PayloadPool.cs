using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>
/// The record values: random uppercase letters (as Kafka's own producer perf tool uses, about 4.7 bits of entropy
/// per byte), in about 8 MiB of distinct values. One value repeated would make every batch compress to almost
/// nothing and flatter --compression; a pool larger than any batch keeps each batch free of exact repeats.
/// Made once per run and shared, read-only, by every producer thread.
/// </summary>
internal sealed class PayloadPool
{
    private const int PoolBytes = 8 << 20;
    private const int MaxValues = 1 << 17;

    private readonly Message<Null, byte[]>[] _messages;

    public PayloadPool(int recordBytes)
    {
        var count = Math.Clamp(PoolBytes / Math.Max(recordBytes, 1), 1, MaxValues);
        var random = new Random(20_26); // fixed, so two runs send the same bytes
        _messages = new Message<Null, byte[]>[count];
        for (var i = 0; i < count; i++)
        {
            var value = new byte[recordBytes];
            for (var j = 0; j < value.Length; j++)
            {
                value[j] = (byte)('A' + random.Next(26));
            }
            _messages[i] = new Message<Null, byte[]> { Value = value };
        }
    }

    public int Count => _messages.Length;

    public byte[] this[long index] => Message(index).Value;

    /// <summary>
    /// A ready message around value <paramref name="index"/> (modulo the pool). librdkafka copies the value on
    /// Produce(), so one message object can be sent again and by several threads at once.
    /// </summary>
    public Message<Null, byte[]> Message(long index) => _messages[index % _messages.Length];
}
