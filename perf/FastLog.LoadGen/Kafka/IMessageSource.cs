using Confluent.Kafka;

namespace FastLog.LoadGen.Kafka;

/// <summary>Makes the next message of one producer thread.</summary>
internal interface IMessageSource
{
    /// <param name="sentAt">The clock instant the message is (or was due to be) sent.</param>
    Message<Null, byte[]> Next(long sentAt);
}
