using System.Buffers.Binary;
using FastLog.Storage.Files;

namespace FastLog.Storage.Index;

/// <summary>A time-index entry: the largest timestamp seen so far and the offset of the batch that holds it.</summary>
public readonly record struct TimestampOffset(long Timestamp, long Offset);

/// <summary>Kafka's .timeindex: 12-byte entries of (timestamp: int64, offset - baseOffset: int32), timestamps ascending.</summary>
public sealed class TimeIndex(string path, long baseOffset, int maxIndexBytes, FileCache cache, bool create)
    : IndexFile(path, baseOffset, maxIndexBytes, cache, create)
{
    public const int EntryBytes = 12;

    public override int EntrySize => EntryBytes;

    public TimestampOffset? LastEntry
    {
        get
        {
            var entries = Entries;
            if (entries == 0)
            {
                return null;
            }
            using var lease = Lease();
            return EntryAt(lease.Bytes(0, entries * EntryBytes), entries - 1);
        }
    }

    /// <summary>Adds an entry when the timestamp moves forward; an older or equal timestamp adds nothing.</summary>
    public void MaybeAppend(long timestamp, long offset)
    {
        var entries = Entries;
        if (entries >= MaxEntries)
        {
            return;
        }
        using var lease = Lease();
        if (entries > 0 && EntryAt(lease.Bytes(0, entries * EntryBytes), entries - 1).Timestamp >= timestamp)
        {
            return;
        }
        var entry = lease.WritableBytes((long)entries * EntryBytes, EntryBytes);
        BinaryPrimitives.WriteInt64BigEndian(entry, timestamp);
        BinaryPrimitives.WriteInt32BigEndian(entry[8..], checked((int)(offset - BaseOffset)));
        CommitAppend();
    }

    /// <summary>The last entry whose timestamp is at most the target, or (-1, baseOffset) when none is.</summary>
    public TimestampOffset Lookup(long targetTimestamp)
    {
        var entries = Entries;
        if (entries == 0)
        {
            return new TimestampOffset(-1, BaseOffset);
        }
        using var lease = Lease();
        var bytes = lease.Bytes(0, entries * EntryBytes);
        var slot = LargestLowerBound(bytes, targetTimestamp);
        return slot < 0 ? new TimestampOffset(-1, BaseOffset) : EntryAt(bytes, slot);
    }

    public TimestampOffset EntryAt(int slot)
    {
        using var lease = Lease();
        return EntryAt(lease.Bytes(0, Entries * EntryBytes), slot);
    }

    /// <summary>Drops entries that point at or above the offset (truncation).</summary>
    public void TruncateTo(long offset)
    {
        var entries = Entries;
        using var lease = Lease();
        var bytes = lease.Bytes(0, entries * EntryBytes);
        var keep = entries;
        while (keep > 0 && EntryAt(bytes, keep - 1).Offset >= offset)
        {
            keep--;
        }
        TruncateToEntries(keep);
    }

    protected override long KeyAt(ReadOnlySpan<byte> entries, int index) =>
        BinaryPrimitives.ReadInt64BigEndian(entries[(index * EntryBytes)..]);

    private TimestampOffset EntryAt(ReadOnlySpan<byte> bytes, int slot) =>
        new(BinaryPrimitives.ReadInt64BigEndian(bytes[(slot * EntryBytes)..]),
            BaseOffset + BinaryPrimitives.ReadInt32BigEndian(bytes[(slot * EntryBytes + 8)..]));
}
