using System.Buffers.Binary;
using System.Text;

namespace FastLog.LoadGen.Kafka;

/// <summary>Reads the big-endian primitives of a Kafka response, with a clear error on a short or malformed reply.</summary>
internal sealed class WireReader(byte[] buffer)
{
    private int _position;

    public short Int16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));

    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public string? NullableString()
    {
        var length = Int16();
        return length < 0 ? null : Encoding.UTF8.GetString(Take(length));
    }

    public string String() => NullableString() ?? throw new SetupException("the broker's reply has a null where a name belongs");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > buffer.Length)
        {
            throw new SetupException("the broker's reply is shorter than its fields say; is --bootstrap a Kafka broker?");
        }
        var span = buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
