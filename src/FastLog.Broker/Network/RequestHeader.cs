using FastLog.Protocol.Messages;

namespace FastLog.Broker.Network;

/// <summary>
/// The request header (v1, or v2 in flexible versions). client_id stays a classic nullable string even in
/// header v2, so that any broker can read the header of any ApiVersions request.
/// </summary>
public readonly record struct RequestHeader(short ApiKey, short ApiVersion, int CorrelationId, string? ClientId)
{
    /// <summary>Reads the fixed part; the tagged fields of header v2 are read by <see cref="SkipTaggedFields"/>.</summary>
    public static RequestHeader Read(ref ProtocolReader reader) =>
        new(reader.ReadInt16(), reader.ReadInt16(), reader.ReadInt32(), reader.ReadNullableString(flexible: false));

    public static void SkipTaggedFields(ref ProtocolReader reader)
    {
        var count = reader.ReadUnsignedVarint();
        for (var i = 0u; i < count; i++)
        {
            reader.ReadUnsignedVarint();
            reader.SkipBytes((int)reader.ReadUnsignedVarint());
        }
    }
}
