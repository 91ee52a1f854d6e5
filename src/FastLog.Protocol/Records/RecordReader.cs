using System.Text;

namespace FastLog.Protocol.Records;

/// <summary>One record as it lies in the (uncompressed) records section; spans point into that section.</summary>
public readonly ref struct RecordView
{
    public int SizeInBytes { get; init; }
    public long TimestampDelta { get; init; }
    public int OffsetDelta { get; init; }
    public bool HasKey { get; init; }
    public ReadOnlySpan<byte> Key { get; init; }
    public bool HasValue { get; init; }
    public ReadOnlySpan<byte> Value { get; init; }
    public int HeaderCount { get; init; }

    /// <summary>The encoded headers, to walk with <see cref="RecordReader.TryReadHeader"/>.</summary>
    public ReadOnlySpan<byte> Headers { get; init; }
}

/// <summary>
/// Walks the records of an uncompressed records section without copying. Every length is checked against
/// the bytes that remain, so malformed input ends in a <see cref="RecordFormatException"/>, never an overrun.
/// </summary>
public ref struct RecordReader
{
    private ReadOnlySpan<byte> _remaining;

    public RecordReader(ReadOnlySpan<byte> records) => _remaining = records;

    public readonly bool IsEmpty => _remaining.IsEmpty;

    /// <summary>Bytes not read yet: where the next record starts, counted from the end of the section.</summary>
    public readonly int RemainingBytes => _remaining.Length;

    public bool TryRead(out RecordView record)
    {
        record = default;
        if (_remaining.IsEmpty)
        {
            return false;
        }

        var length = ReadVarint(ref _remaining, "record length");
        if (length < RecordBatchLayout.MinRecordSize - 1 || length > _remaining.Length)
        {
            throw new RecordFormatException($"record length {length} does not fit the {_remaining.Length} bytes left");
        }
        var body = _remaining[..length];
        _remaining = _remaining[length..];
        var sizeInBytes = length + Varint.SizeOfZigZag(length);

        body = body[1..]; // attributes: unused, always 0
        var timestampDelta = ReadVarlong(ref body, "timestampDelta");
        var offsetDelta = ReadVarint(ref body, "offsetDelta");
        var key = ReadBytes(ref body, "key", out var hasKey);
        var value = ReadBytes(ref body, "value", out var hasValue);
        var headerCount = ReadVarint(ref body, "header count");
        if (headerCount < 0 || headerCount > body.Length / 2)
        {
            throw new RecordFormatException($"header count {headerCount} is impossible in {body.Length} bytes");
        }

        var headers = body;
        for (var i = 0; i < headerCount; i++)
        {
            if (!TryReadHeader(ref body, out _, out _, out _))
            {
                throw new RecordFormatException("record header is truncated");
            }
        }
        if (!body.IsEmpty)
        {
            throw new RecordFormatException($"record has {body.Length} bytes after its headers");
        }

        record = new RecordView
        {
            SizeInBytes = sizeInBytes,
            TimestampDelta = timestampDelta,
            OffsetDelta = offsetDelta,
            HasKey = hasKey,
            Key = key,
            HasValue = hasValue,
            Value = value,
            HeaderCount = headerCount,
            Headers = headers,
        };
        return true;
    }

    /// <summary>Reads one header from <paramref name="headers"/> and advances past it.</summary>
    public static bool TryReadHeader(ref ReadOnlySpan<byte> headers, out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        key = default;
        value = default;
        hasValue = false;
        try
        {
            key = ReadBytes(ref headers, "header key", out var hasKey);
            if (!hasKey)
            {
                return false;
            }
            value = ReadBytes(ref headers, "header value", out hasValue);
            return true;
        }
        catch (RecordFormatException)
        {
            return false;
        }
    }

    /// <summary>Decodes the headers of a record view into objects (tools and tests).</summary>
    public static List<RecordHeader> DecodeHeaders(in RecordView record)
    {
        var list = new List<RecordHeader>(record.HeaderCount);
        var headers = record.Headers;
        for (var i = 0; i < record.HeaderCount; i++)
        {
            TryReadHeader(ref headers, out var key, out var value, out var hasValue);
            list.Add(new RecordHeader(Encoding.UTF8.GetString(key), hasValue ? value.ToArray() : null));
        }
        return list;
    }

    private static int ReadVarint(scoped ref ReadOnlySpan<byte> span, string field)
    {
        if (!Varint.TryReadZigZag(span, out int value, out var read))
        {
            throw new RecordFormatException($"malformed varint in {field}");
        }
        span = span[read..];
        return value;
    }

    private static long ReadVarlong(scoped ref ReadOnlySpan<byte> span, string field)
    {
        if (!Varint.TryReadZigZag(span, out long value, out var read))
        {
            throw new RecordFormatException($"malformed varlong in {field}");
        }
        span = span[read..];
        return value;
    }

    private static ReadOnlySpan<byte> ReadBytes(scoped ref ReadOnlySpan<byte> span, string field, out bool present)
    {
        var length = ReadVarint(ref span, field + " length");
        if (length == -1)
        {
            present = false;
            return default;
        }
        if (length < 0 || length > span.Length)
        {
            throw new RecordFormatException($"{field} length {length} does not fit the {span.Length} bytes left");
        }
        present = true;
        var bytes = span[..length];
        span = span[length..];
        return bytes;
    }
}
