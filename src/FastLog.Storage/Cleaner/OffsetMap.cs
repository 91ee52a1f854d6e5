using System.Buffers.Binary;
using System.IO.Hashing;

namespace FastLog.Storage.Cleaner;

/// <summary>
/// Key -> latest offset for the dirty part of a log, in one buffer allocated once (Kafka's SkimpyOffsetMap):
/// open addressing with linear probing over fixed slots of a 16-byte XxHash128 of the key and an 8-byte offset.
/// Keys are never stored, so the memory is exactly <see cref="BytesPerEntry"/> per slot whatever the key size;
/// two keys whose 128-bit hashes collide would be taken for one (odds about n^2 / 2^129, nil in practice).
/// The map is full at <see cref="LoadFactor"/> of its slots (Kafka's log.cleaner.io.buffer.load.factor 0.9):
/// beyond that linear probes grow long. The cleaner then cleans up to where the map stopped.
/// </summary>
public sealed class OffsetMap
{
    public const int HashBytes = 16;
    public const int BytesPerEntry = HashBytes + sizeof(long);
    public const double LoadFactor = 0.9;

    private readonly byte[] _slots;
    private readonly int _capacitySlots;

    /// <summary>Slots in use since the last <see cref="Clear"/>: fewer than the buffer holds for a small dirty section.</summary>
    private int _slotCount;

    /// <param name="memoryBytes">The budget (log.cleaner.dedupe.buffer.size / log.cleaner.threads).</param>
    public OffsetMap(long memoryBytes)
    {
        var slots = memoryBytes / BytesPerEntry;
        if (slots < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(memoryBytes), $"an offset map needs at least {2 * BytesPerEntry} bytes, got {memoryBytes}");
        }
        // One array: its length stays below Array.MaxLength, about 2 GiB.
        _capacitySlots = (int)Math.Min(slots, Array.MaxLength / BytesPerEntry);
        _slots = new byte[_capacitySlots * BytesPerEntry];
        _slotCount = _capacitySlots;
    }

    /// <summary>The most keys the map takes before <see cref="IsFull"/>.</summary>
    public int MaxEntries => (int)(_slotCount * LoadFactor);

    public int Count { get; private set; }

    /// <summary>The highest offset put since the last <see cref="Clear"/>; -1 when empty.</summary>
    public long LatestOffset { get; private set; } = -1;

    public bool IsFull => Count >= MaxEntries;

    /// <summary>Bytes this map holds (its one buffer).</summary>
    public long MemoryBytes => _slots.LongLength;

    /// <summary>Maps the key to <paramref name="offset"/>; a key seen before takes the new offset.</summary>
    public void Put(ReadOnlySpan<byte> key, long offset)
    {
        if (IsFull)
        {
            throw new InvalidOperationException($"the offset map is full ({Count} keys)");
        }
        Span<byte> hash = stackalloc byte[HashBytes];
        XxHash128.Hash(key, hash);
        var slot = Probe(hash);
        var entry = _slots.AsSpan(slot * BytesPerEntry, BytesPerEntry);
        if (IsEmpty(entry))
        {
            hash.CopyTo(entry);
            Count++;
        }
        // Stored plus one: an all-zero slot is empty, and offset 0 is a real offset.
        BinaryPrimitives.WriteInt64LittleEndian(entry[HashBytes..], offset + 1);
        LatestOffset = Math.Max(LatestOffset, offset);
    }

    /// <summary>The latest offset put for the key, or -1 when the key was not put.</summary>
    public long Get(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[HashBytes];
        XxHash128.Hash(key, hash);
        var entry = _slots.AsSpan(Probe(hash) * BytesPerEntry, BytesPerEntry);
        return IsEmpty(entry) ? -1 : BinaryPrimitives.ReadInt64LittleEndian(entry[HashBytes..]) - 1;
    }

    /// <summary>
    /// Empties the map for at most <paramref name="expectedKeys"/> keys (the records of the dirty section):
    /// only the slots those need are used, so a small cleaning clears and touches little memory and its probes
    /// stay in cache. The budget still bounds it.
    /// </summary>
    public void Clear(long expectedKeys = long.MaxValue)
    {
        if (Count > 0)
        {
            Array.Clear(_slots, 0, _slotCount * BytesPerEntry);
        }
        Count = 0;
        LatestOffset = -1;
        var wanted = expectedKeys >= _capacitySlots ? _capacitySlots : (long)Math.Ceiling(expectedKeys / LoadFactor) + 1;
        _slotCount = (int)Math.Clamp(wanted, 2, _capacitySlots);
    }

    /// <summary>The slot holding this hash, or the empty slot where it goes. Ends: the map is never full.</summary>
    private int Probe(ReadOnlySpan<byte> hash)
    {
        // Lemire's multiply-shift maps 32 hash bits onto [0, slots) without a division.
        var slot = (int)(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(hash) * (ulong)_slotCount) >> 32);
        while (true)
        {
            var entry = _slots.AsSpan(slot * BytesPerEntry, BytesPerEntry);
            if (IsEmpty(entry) || entry[..HashBytes].SequenceEqual(hash))
            {
                return slot;
            }
            slot = slot + 1 == _slotCount ? 0 : slot + 1;
        }
    }

    private static bool IsEmpty(ReadOnlySpan<byte> entry) => BinaryPrimitives.ReadInt64LittleEndian(entry[HashBytes..]) == 0;
}
