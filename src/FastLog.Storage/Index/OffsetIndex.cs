using System.Buffers.Binary;
using FastLog.Storage.Files;

namespace FastLog.Storage.Index;

/// <summary>An offset-index entry: a batch's offset and its byte position in the segment.</summary>
public readonly record struct OffsetPosition(long Offset, int Position);

/// <summary>Kafka's .index: 8-byte entries of (offset - baseOffset: int32, position: int32), ascending.</summary>
public sealed class OffsetIndex(string path, long baseOffset, int maxIndexBytes, FileCache cache, bool create)
    : IndexFile(path, baseOffset, maxIndexBytes, cache, create)
{
    public const int EntryBytes = 8;

    public override int EntrySize => EntryBytes;

    public void Append(long offset, int position)
    {
        var entries = Entries;
        if (entries >= MaxEntries)
        {
            return; // a full index only gets sparser; lookups stay correct
        }
        using var lease = Lease();
        var entry = lease.WritableBytes((long)entries * EntryBytes, EntryBytes);
        BinaryPrimitives.WriteInt32BigEndian(entry, checked((int)(offset - BaseOffset)));
        BinaryPrimitives.WriteInt32BigEndian(entry[4..], position);
        CommitAppend();
    }

    /// <summary>The last entry at or below the offset, or (baseOffset, 0) when there is none.</summary>
    public OffsetPosition Lookup(long targetOffset)
    {
        var entries = Entries;
        if (entries == 0)
        {
            return new OffsetPosition(BaseOffset, 0);
        }
        using var lease = Lease();
        var bytes = lease.Bytes(0, entries * EntryBytes);
        var slot = LargestLowerBound(bytes, targetOffset - BaseOffset);
        return slot < 0 ? new OffsetPosition(BaseOffset, 0) : EntryAt(bytes, slot);
    }

    /// <summary>
    /// The last entry whose position is at most <paramref name="position"/>, or (baseOffset, 0). Positions
    /// ascend with offsets, so a read can jump to the batch nearest its byte limit instead of walking to it.
    /// </summary>
    public OffsetPosition LookupByPosition(int position)
    {
        var entries = Entries;
        if (entries == 0)
        {
            return new OffsetPosition(BaseOffset, 0);
        }
        using var lease = Lease();
        var bytes = lease.Bytes(0, entries * EntryBytes);
        int low = 0, high = entries - 1;
        if (PositionAt(bytes, 0) > position)
        {
            return new OffsetPosition(BaseOffset, 0);
        }
        while (low < high)
        {
            var middle = (int)(((uint)low + (uint)high + 1) >> 1);
            if (PositionAt(bytes, middle) <= position)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return EntryAt(bytes, low);
    }

    private static int PositionAt(ReadOnlySpan<byte> bytes, int slot) =>
        BinaryPrimitives.ReadInt32BigEndian(bytes[(slot * EntryBytes + 4)..]);

    public OffsetPosition EntryAt(int slot)
    {
        using var lease = Lease();
        return EntryAt(lease.Bytes(0, Entries * EntryBytes), slot);
    }

    /// <summary>Drops entries at or above the offset (truncation).</summary>
    public void TruncateTo(long offset)
    {
        var entries = Entries;
        if (entries == 0)
        {
            return;
        }
        using var lease = Lease();
        var bytes = lease.Bytes(0, entries * EntryBytes);
        var slot = LargestLowerBound(bytes, offset - BaseOffset);
        if (slot >= 0 && EntryAt(bytes, slot).Offset == offset)
        {
            slot--;
        }
        TruncateToEntries(slot + 1);
    }

    protected override long KeyAt(ReadOnlySpan<byte> entries, int index) =>
        BinaryPrimitives.ReadInt32BigEndian(entries[(index * EntryBytes)..]);

    private OffsetPosition EntryAt(ReadOnlySpan<byte> bytes, int slot) =>
        new(BaseOffset + BinaryPrimitives.ReadInt32BigEndian(bytes[(slot * EntryBytes)..]),
            BinaryPrimitives.ReadInt32BigEndian(bytes[(slot * EntryBytes + 4)..]));
}
