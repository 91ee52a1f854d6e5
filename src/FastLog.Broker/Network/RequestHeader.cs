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
        new(reader.ReadInt16(), reader.ReadInt16(), reader.ReadInt32(), ReadClientId(ref reader));

    // A client sends the same client_id with every request: the thread's last one is kept, decoded, so a
    // connection's requests do not each allocate it again.
    [ThreadStatic] private static byte[]? t_lastClientIdUtf8;
    [ThreadStatic] private static string? t_lastClientId;

    private static string? ReadClientId(ref ProtocolReader reader)
    {
        if (!reader.TryReadStringBytes(flexible: false, out var utf8))
        {
            return null;
        }
        if (t_lastClientId is { } last && utf8.SequenceEqual(t_lastClientIdUtf8))
        {
            return last;
        }
        var clientId = System.Text.Encoding.UTF8.GetString(utf8);
        t_lastClientIdUtf8 = utf8.ToArray();
        t_lastClientId = clientId;
        return clientId;
    }

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
