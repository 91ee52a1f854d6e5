namespace FastLog.Protocol.Messages;

/// <summary>
/// A request that cannot be decoded: a length past the frame, a varint too long, an impossible count.
/// Kafka answers these by closing the connection (InvalidRequestException); so does FastLog, after one log line.
/// </summary>
public sealed class ProtocolException(string message) : Exception(message);
