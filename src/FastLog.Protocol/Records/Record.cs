namespace FastLog.Protocol.Records;

/// <summary>A record header: the key is never null, the value may be.</summary>
public sealed record RecordHeader(string Key, byte[]? Value);

/// <summary>A decoded record with absolute offset and timestamp; for tools, tests and builders, not the hot path.</summary>
public sealed record Record(long Offset, long Timestamp, byte[]? Key, byte[]? Value, IReadOnlyList<RecordHeader> Headers)
{
    public static Record Create(byte[]? key, byte[]? value, long timestamp, params RecordHeader[] headers) =>
        new(0, timestamp, key, value, headers);
}
