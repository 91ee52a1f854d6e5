using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// Clients send the same few topics over and over: a pooled exchange decodes each name once and returns the same
/// string for its UTF-8 bytes after that, so a request allocates no topic name.
/// </summary>
internal sealed class TopicNameCache
{
    private const int Remembered = 8;

    private readonly (byte[] Utf8, string Name)[] _names = new (byte[], string)[Remembered];
    private int _nextSlot;

    /// <summary>A non-null topic name; null where one is required is malformed.</summary>
    public string Read(ref ProtocolReader reader)
    {
        if (!reader.TryReadStringBytes(flexible: false, out var utf8))
        {
            throw new ProtocolException("null where a topic name is required");
        }
        foreach (var (known, name) in _names)
        {
            if (known is not null && utf8.SequenceEqual(known))
            {
                return name;
            }
        }
        var decoded = System.Text.Encoding.UTF8.GetString(utf8);
        _names[_nextSlot] = (utf8.ToArray(), decoded);
        _nextSlot = (_nextSlot + 1) % Remembered;
        return decoded;
    }
}
