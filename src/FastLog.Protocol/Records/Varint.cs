namespace FastLog.Protocol.Records;

/// <summary>
/// Variable-length integers of the record format: zigzag varint (int32) and varlong (int64),
/// as Kafka's ByteUtils writes them, plus the unsigned varint that flexible versions use.
/// Readers never read past the span and report malformed input by returning false.
/// </summary>
public static class Varint
{
    public const int MaxVarintBytes = 5;
    public const int MaxVarlongBytes = 10;

    public static int SizeOfUnsigned(uint value)
    {
        var size = 1;
        while ((value & ~0x7Fu) != 0)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int SizeOfUnsigned(ulong value)
    {
        var size = 1;
        while ((value & ~0x7FUL) != 0)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    public static int SizeOfZigZag(int value) => SizeOfUnsigned(ZigZag(value));
    public static int SizeOfZigZag(long value) => SizeOfUnsigned(ZigZag(value));

    public static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static int WriteUnsigned(Span<byte> destination, uint value)
    {
        var i = 0;
        while ((value & ~0x7Fu) != 0)
        {
            destination[i++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteUnsigned(Span<byte> destination, ulong value)
    {
        var i = 0;
        while ((value & ~0x7FUL) != 0)
        {
            destination[i++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }

    public static int WriteZigZag(Span<byte> destination, int value) => WriteUnsigned(destination, ZigZag(value));
    public static int WriteZigZag(Span<byte> destination, long value) => WriteUnsigned(destination, ZigZag(value));

    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, out uint value, out int bytesRead)
    {
        value = 0;
        for (var i = 0; i < MaxVarintBytes && i < source.Length; i++)
        {
            uint b = source[i];
            if (i == MaxVarintBytes - 1 && b > 0x0F)
            {
                break;
            }
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                bytesRead = i + 1;
                return true;
            }
        }
        value = 0;
        bytesRead = 0;
        return false;
    }

    public static bool TryReadUnsigned(ReadOnlySpan<byte> source, out ulong value, out int bytesRead)
    {
        value = 0;
        for (var i = 0; i < MaxVarlongBytes && i < source.Length; i++)
        {
            ulong b = source[i];
            if (i == MaxVarlongBytes - 1 && b > 0x01)
            {
                break;
            }
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                bytesRead = i + 1;
                return true;
            }
        }
        value = 0;
        bytesRead = 0;
        return false;
    }

    public static bool TryReadZigZag(ReadOnlySpan<byte> source, out int value, out int bytesRead)
    {
        if (!TryReadUnsigned(source, out uint raw, out bytesRead))
        {
            value = 0;
            return false;
        }
        value = (int)(raw >> 1) ^ -(int)(raw & 1);
        return true;
    }

    public static bool TryReadZigZag(ReadOnlySpan<byte> source, out long value, out int bytesRead)
    {
        if (!TryReadUnsigned(source, out ulong raw, out bytesRead))
        {
            value = 0;
            return false;
        }
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return true;
    }
}
