using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;
using FastLog.Protocol.Records;

namespace FastLog.Tools.Dump;

/// <summary>The lines of a dump, in kafka-dump-log's spirit: "name: value" pairs, one batch or record a line.</summary>
internal static class DumpText
{
    /// <summary>Keys and values are cut to this many characters (hex digits when not printable).</summary>
    public const int MaxShownChars = 64;

    public static string BatchLine(long position, in RecordBatchHeader h, bool crcValid)
    {
        var line = $"baseOffset: {h.BaseOffset} lastOffset: {h.LastOffset} count: {h.RecordsCount} position: {position} size: {h.TotalSize} " +
            $"magic: {h.Magic} compression: {Codec(h.Compression)} crc: 0x{h.Crc:x8} crcValid: {Bool(crcValid)} " +
            $"isTransactional: {Bool(h.IsTransactional)} isControl: {Bool(h.IsControl)} producerId: {h.ProducerId} " +
            $"producerEpoch: {h.ProducerEpoch} baseSequence: {h.BaseSequence} partitionLeaderEpoch: {h.PartitionLeaderEpoch} " +
            $"maxTimestamp: {h.MaxTimestamp} timestampType: {(h.IsLogAppendTime ? "LogAppendTime" : "CreateTime")}";
        // With the bit set, the cleaner has put the delete horizon where the base timestamp was.
        line = h.HasDeleteHorizon ? $"{line} deleteHorizon: {h.BaseTimestamp}" : line;
        // A batch the cleaner rewrote keeps its offset range but not every record in it.
        var removed = h.LastOffsetDelta + 1L - h.RecordsCount;
        return removed > 0 ? $"{line} compactedAway: {removed}" : line;
    }

    public static string RecordLine(Record record, bool control)
    {
        var line = $"| offset: {record.Offset} timestamp: {record.Timestamp} keySize: {record.Key?.Length ?? -1} valueSize: {record.Value?.Length ?? -1}";
        return control
            ? $"{line} {ControlMarker(record)}"
            : $"{line} headers: {Headers(record.Headers)} key: {Bytes(record.Key)} value: {Bytes(record.Value)}";
    }

    /// <summary>UTF-8 text when it is printable, else hex; cut to <see cref="MaxShownChars"/> with "..." after.</summary>
    public static string Bytes(byte[]? bytes)
    {
        if (bytes is null)
        {
            return "null";
        }
        if (bytes.Length == 0)
        {
            return "\"\"";
        }
        // Four bytes per character at most, so this prefix holds every character that can be shown.
        var prefix = bytes.AsSpan(0, Math.Min(bytes.Length, MaxShownChars * 4));
        Span<char> chars = stackalloc char[MaxShownChars * 4];
        var status = Utf8.ToUtf16(prefix, chars, out _, out var written, replaceInvalidSequences: false, isFinalBlock: prefix.Length == bytes.Length);
        if (status is OperationStatus.Done or OperationStatus.NeedMoreData && IsPrintable(chars[..written]))
        {
            var shown = Math.Min(written, MaxShownChars);
            if (shown < written && char.IsHighSurrogate(chars[shown - 1]))
            {
                shown--; // never split a surrogate pair
            }
            var cut = shown < written || prefix.Length < bytes.Length;
            return cut ? $"{chars[..shown]}..." : chars[..shown].ToString();
        }
        var hexBytes = Math.Min(bytes.Length, MaxShownChars / 2);
        var hex = Convert.ToHexStringLower(bytes, 0, hexBytes);
        return hexBytes < bytes.Length ? $"0x{hex}..." : $"0x{hex}";
    }

    private static string ControlMarker(Record record)
    {
        if (record.Key is null || !ControlRecord.TryReadType(record.Key, out var type))
        {
            return "controlType: unreadable";
        }
        var epoch = record.Value is { Length: >= 6 } value ? BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(2)).ToString() : "unknown";
        return type switch
        {
            ControlRecordType.Commit => $"endTxnMarker: COMMIT coordinatorEpoch: {epoch}",
            ControlRecordType.Abort => $"endTxnMarker: ABORT coordinatorEpoch: {epoch}",
            _ => $"controlType: {(short)type}",
        };
    }

    private static string Headers(IReadOnlyList<RecordHeader> headers) =>
        headers.Count == 0 ? "-" : string.Join(',', headers.Select(h => h.Key));

    private static bool IsPrintable(ReadOnlySpan<char> chars)
    {
        foreach (var c in chars)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }
        return true;
    }

    private static string Codec(CompressionType type) => type switch
    {
        CompressionType.None => "none",
        CompressionType.Gzip => "gzip",
        CompressionType.Snappy => "snappy",
        CompressionType.Lz4 => "lz4",
        CompressionType.Zstd => "zstd",
        _ => $"codec-{(int)type}",
    };

    private static string Bool(bool value) => value ? "true" : "false";
}
