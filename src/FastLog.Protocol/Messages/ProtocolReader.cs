using System.Buffers.Binary;
using System.Text;
using FastLog.Protocol.Records;

namespace FastLog.Protocol.Messages;

/// <summary>
/// Reads Kafka's wire types from one request frame. Every length is checked against the bytes left before
/// anything is allocated or sliced, so a hostile length can neither read past the frame nor make the
/// decoder allocate more than the frame's size.
/// </summary>
public ref struct ProtocolReader
{
    private readonly ReadOnlyMemory<byte> _frame;
    private int _position;

    public ProtocolReader(ReadOnlyMemory<byte> frame)
    {
        _frame = frame;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly int Remaining => _frame.Length - _position;

    private readonly ReadOnlySpan<byte> Rest => _frame.Span[_position..];

    public sbyte ReadInt8() => (sbyte)Take(1)[0];
    public bool ReadBool() => Take(1)[0] != 0;
    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(Take(2));
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));
    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(Take(8));
    public double ReadFloat64() => BinaryPrimitives.ReadDoubleBigEndian(Take(8));

    public Guid ReadUuid()
    {
        // Kafka's UUID is two big-endian int64s; Guid's big-endian constructor keeps the byte order.
        return new Guid(Take(16), bigEndian: true);
    }

    public uint ReadUnsignedVarint()
    {
        if (!Varint.TryReadUnsigned(Rest, out uint value, out var read))
        {
            throw new ProtocolException($"malformed unsigned varint at byte {_position}");
        }
        _position += read;
        return value;
    }

    public int ReadVarint()
    {
        if (!Varint.TryReadZigZag(Rest, out int value, out var read))
        {
            throw new ProtocolException($"malformed varint at byte {_position}");
        }
        _position += read;
        return value;
    }

    public string ReadString(bool flexible) =>
        ReadNullableString(flexible) ?? throw new ProtocolException($"null where a string is required at byte {_position}");

    public string? ReadNullableString(bool flexible)
    {
        var length = flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt16();
        if (length < 0)
        {
            return length == -1 ? null : throw new ProtocolException($"string length {length} at byte {_position}");
        }
        return Encoding.UTF8.GetString(Take(length));
    }

    /// <summary>A nullable string's UTF-8 bytes, not decoded (a slice of the frame); false for null.</summary>
    public bool TryReadStringBytes(bool flexible, out ReadOnlySpan<byte> utf8)
    {
        var length = flexible ? (int)ReadUnsignedVarint() - 1 : ReadInt16();
        if (length < 0)
        {
            utf8 = default;
            return length == -1 ? false : throw new ProtocolException($"string length {length} at byte {_position}");
        }
        utf8 = Take(length);
        return true;
    }

    public byte[] ReadBytes(bool flexible) =>
        ReadNullableBytes(flexible) ?? throw new ProtocolException($"null where bytes are required at byte {_position}");

    public byte[]? ReadNullableBytes(bool flexible) => ReadNullableMemory(flexible)?.ToArray();

    /// <summary>A slice of the frame, not a copy: record batches go to the log from the request buffer.</summary>
    public ReadOnlyMemory<byte>? ReadNullableMemory(bool flexible)
    {
        var length = flexible ? (long)ReadUnsignedVarint() - 1 : ReadInt32();
        if (length < 0)
        {
            return length == -1 ? null : throw new ProtocolException($"bytes length {length} at byte {_position}");
        }
        CheckAvailable(length);
        var slice = _frame.Slice(_position, (int)length);
        _position += (int)length;
        return slice;
    }

    /// <summary>
    /// An array's element count, or -1 for null. A count larger than the bytes left is refused: every element
    /// takes at least one byte, so this bounds what the caller allocates for the array.
    /// </summary>
    public int ReadArrayCount(bool flexible)
    {
        var count = flexible ? (long)ReadUnsignedVarint() - 1 : ReadInt32();
        if (count < -1)
        {
            throw new ProtocolException($"array count {count} at byte {_position}");
        }
        if (count > Remaining)
        {
            throw new ProtocolException($"array count {count} exceeds the {Remaining} bytes left");
        }
        return (int)count;
    }

    /// <summary>Skips a tagged field's value; tags this version does not know are ignored, as Kafka does.</summary>
    public void SkipBytes(int length)
    {
        CheckAvailable(length);
        _position += length;
    }

    private ReadOnlySpan<byte> Take(int length)
    {
        CheckAvailable(length);
        var span = _frame.Span.Slice(_position, length);
        _position += length;
        return span;
    }

    private readonly void CheckAvailable(long length)
    {
        if (length < 0 || length > Remaining)
        {
            throw new ProtocolException($"{length} bytes needed at byte {_position}, {Remaining} left in the frame");
        }
    }
}
