using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using FastLog.Protocol.Records;

namespace FastLog.Protocol.Messages;

/// <summary>
/// Bytes a response carries that are not copied into the response buffer: record batches sent from the
/// segment file straight to the socket. The network layer knows how to send them; the protocol only needs
/// their length.
/// </summary>
public interface IExternalRecords
{
    int Length { get; }
}

/// <summary>
/// Writes Kafka's wire types into a growable buffer. Records may be external: the writer notes where they go
/// (a splice) and their length, so the frame is header bytes, then file bytes, then more header bytes.
/// </summary>
public sealed class ProtocolWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;
    private readonly List<(int Position, IExternalRecords Records)> _splices = [];

    public ProtocolWriter(int initialCapacity = 512) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    /// <summary>Bytes written into the buffer (splices not counted).</summary>
    public int BufferedCount => _written;

    /// <summary>Bytes the frame holds: buffered plus external.</summary>
    public long TotalLength { get; private set; }

    public ReadOnlyMemory<byte> Buffered => _buffer.AsMemory(0, _written);
    public IReadOnlyList<(int Position, IExternalRecords Records)> Splices => _splices;

    public void Reset()
    {
        _written = 0;
        TotalLength = 0;
        _splices.Clear();
    }

    /// <summary>Returns the buffer to the pool; the writer is not used afterwards.</summary>
    public void Release()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void WriteInt8(sbyte value) => Put((byte)value);
    public void WriteBool(bool value) => Put(value ? (byte)1 : (byte)0);
    public void WriteInt16(short value) { BinaryPrimitives.WriteInt16BigEndian(GetSpan(2), value); Advance(2); }
    public void WriteUInt16(ushort value) { BinaryPrimitives.WriteUInt16BigEndian(GetSpan(2), value); Advance(2); }
    public void WriteInt32(int value) { BinaryPrimitives.WriteInt32BigEndian(GetSpan(4), value); Advance(4); }
    public void WriteUInt32(uint value) { BinaryPrimitives.WriteUInt32BigEndian(GetSpan(4), value); Advance(4); }
    public void WriteInt64(long value) { BinaryPrimitives.WriteInt64BigEndian(GetSpan(8), value); Advance(8); }
    public void WriteFloat64(double value) { BinaryPrimitives.WriteDoubleBigEndian(GetSpan(8), value); Advance(8); }

    public void WriteUuid(Guid value)
    {
        value.TryWriteBytes(GetSpan(16), bigEndian: true, out _);
        Advance(16);
    }

    public void WriteUnsignedVarint(uint value) => Advance(Varint.WriteUnsigned(GetSpan(5), value));
    public void WriteVarint(int value) => Advance(Varint.WriteZigZag(GetSpan(5), value));

    public void WriteString(string value, bool flexible) => WriteNullableString(value, flexible);

    public void WriteNullableString(string? value, bool flexible)
    {
        if (value is null)
        {
            WriteLength(-1, flexible, shortLength: true);
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        if (!flexible && length > short.MaxValue)
        {
            throw new ProtocolException($"string of {length} bytes does not fit an int16 length");
        }
        WriteLength(length, flexible, shortLength: true);
        Advance(Encoding.UTF8.GetBytes(value, GetSpan(length)));
    }

    public void WriteBytes(ReadOnlySpan<byte> value, bool flexible)
    {
        WriteLength(value.Length, flexible, shortLength: false);
        Write(value);
    }

    public void WriteNullableBytes(ReadOnlyMemory<byte>? value, bool flexible)
    {
        if (value is null)
        {
            WriteLength(-1, flexible, shortLength: false);
            return;
        }
        WriteBytes(value.Value.Span, flexible);
    }

    /// <summary>Records as a length and a splice: the bytes follow from outside the buffer.</summary>
    public void WriteExternalRecords(IExternalRecords records, bool flexible)
    {
        WriteLength(records.Length, flexible, shortLength: false);
        _splices.Add((_written, records));
        TotalLength += records.Length;
    }

    public void WriteArrayCount(int count, bool flexible) => WriteLength(count, flexible, shortLength: false);

    /// <summary>An empty tagged-field section: the one byte 0.</summary>
    public void WriteEmptyTaggedFields() => Put(0);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Overwrites an int32 written earlier (frame sizes, known only at the end).</summary>
    public void PatchInt32(int position, int value) => BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(position), value);

    public void Advance(int count)
    {
        _written += count;
        TotalLength += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    private void Put(byte value)
    {
        GetSpan(1)[0] = value;
        Advance(1);
    }

    private void WriteLength(int length, bool flexible, bool shortLength)
    {
        if (flexible)
        {
            WriteUnsignedVarint((uint)(length + 1));
        }
        else if (shortLength)
        {
            WriteInt16((short)length);
        }
        else
        {
            WriteInt32(length);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _written).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }
        _buffer = bigger;
    }
}
