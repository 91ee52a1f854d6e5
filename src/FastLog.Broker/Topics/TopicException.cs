using FastLog.Protocol.Messages;

namespace FastLog.Broker.Topics;

/// <summary>An admin operation refused with a Kafka error code and the message clients show.</summary>
public sealed class TopicException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
