using FastLog.Protocol.Messages;

namespace FastLog.Broker.Network;

/// <summary>
/// What a handler returns: a body to encode at the request's version, or nothing (acks=0 produce), or a
/// demand to close the connection (Kafka closes on requests it cannot accept).
/// </summary>
public readonly record struct Response(IMessage? Body, bool CloseConnection = false, string? CloseReason = null, short? VersionOverride = null, bool ForceHeaderV0 = false)
{
    public static Response None => default;
    public static Response Of(IMessage body) => new(body);
    public static Response Close(string reason) => new(null, true, reason);
}
