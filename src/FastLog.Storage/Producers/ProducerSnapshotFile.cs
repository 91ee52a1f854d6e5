using System.Buffers.Binary;
using FastLog.Protocol;
using FastLog.Storage.Files;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Producers;

/// <summary>
/// A partition's producer state as of an offset, in <c>&lt;offset:D20&gt;.snapshot</c> beside the segments.
/// The bytes are Kafka's ProducerSnapshot v1 layout, big-endian: version int16 (1), crc uint32 (CRC-32C of
/// everything after it), an int32 count, then 46-byte entries (producerId int64, epoch int16, lastSequence
/// int32, lastOffset int64, offsetDelta int32, timestamp int64, coordinatorEpoch int32, currentTxnFirstOffset
/// int64). Kafka writes one entry per producer, its last batch; we write one per retained batch, oldest
/// first, so a restart still recognises retries of the last five. Kafka's reader keeps the last entry of a
/// producer id, which is the same newest batch it would have written itself. The timestamp is the broker's
/// clock at the append (Kafka stores the batch's max timestamp; the two agree for LogAppendTime topics), so
/// producer.id.expiration.ms counts idle time whatever timestamps a producer writes.
/// </summary>
public static class ProducerSnapshotFile
{
    public const string Suffix = ".snapshot";
    public const string TempSuffix = ".snapshot.tmp";
    public const short Version = 1;

    private const int HeaderBytes = 2 + 4 + 4;
    private const int EntryBytes = 8 + 2 + 4 + 8 + 4 + 8 + 4 + 8;
    private const int CrcCoveredStart = 6;

    public static string PathFor(string directory, long offset) => Path.Combine(directory, SegmentFileNames.BaseName(offset) + Suffix);

    /// <summary>The offsets of the snapshots in a partition folder, ascending.</summary>
    public static List<long> List(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*" + Suffix)
            .Select(f => SegmentFileNames.ParseBaseOffset(Path.GetFileName(f), Suffix))
            .OfType<long>()
            .Order()];

    /// <summary>
    /// Writes the snapshot under a temp name and renames it, so a reader never sees a half-written file
    /// under the real name. <paramref name="durable"/> adds fsyncs of the file and the folder; without them a
    /// power loss may leave a torn file, which the CRC rejects at load (the older snapshot and the log serve).
    /// </summary>
    public static void Write(string directory, long offset, IEnumerable<ProducerStateEntry> producers, bool durable)
    {
        var entries = producers.Sum(p => p.Batches.Length);
        var bytes = new byte[HeaderBytes + (entries * EntryBytes)];
        BinaryPrimitives.WriteInt16BigEndian(bytes, Version);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(6), entries);
        var position = HeaderBytes;
        foreach (var producer in producers)
        {
            foreach (var batch in producer.Batches)
            {
                var entry = bytes.AsSpan(position, EntryBytes);
                BinaryPrimitives.WriteInt64BigEndian(entry, producer.ProducerId);
                BinaryPrimitives.WriteInt16BigEndian(entry[8..], producer.Epoch);
                BinaryPrimitives.WriteInt32BigEndian(entry[10..], batch.LastSequence);
                BinaryPrimitives.WriteInt64BigEndian(entry[14..], batch.LastOffset);
                BinaryPrimitives.WriteInt32BigEndian(entry[22..], (int)(batch.LastOffset - batch.FirstOffset));
                BinaryPrimitives.WriteInt64BigEndian(entry[26..], batch.Timestamp);
                BinaryPrimitives.WriteInt32BigEndian(entry[34..], -1); // no transaction coordinator yet
                BinaryPrimitives.WriteInt64BigEndian(entry[38..], -1); // no open transaction
                position += EntryBytes;
            }
        }
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(2), Crc32C.Compute(bytes.AsSpan(CrcCoveredStart)));

        var path = PathFor(directory, offset);
        var temp = Path.Combine(directory, SegmentFileNames.BaseName(offset) + TempSuffix);
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, bytes, 0);
            if (durable)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }
        File.Move(temp, path, overwrite: true);
        if (durable)
        {
            LibC.SyncDirectory(directory);
        }
    }

    /// <summary>Reads a snapshot into <paramref name="producers"/>; a torn or corrupt file throws <see cref="InvalidDataException"/>.</summary>
    public static void Read(string path, Dictionary<long, ProducerStateEntry> producers)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderBytes)
        {
            throw new InvalidDataException($"{bytes.Length} bytes is shorter than a snapshot header");
        }
        var version = BinaryPrimitives.ReadInt16BigEndian(bytes);
        if (version != Version)
        {
            throw new InvalidDataException($"unknown snapshot version {version}");
        }
        var crc = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2));
        var computed = Crc32C.Compute(bytes.AsSpan(CrcCoveredStart));
        if (crc != computed)
        {
            throw new InvalidDataException($"CRC-32C is {computed:x8}, the file says {crc:x8}");
        }
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(6));
        if (count < 0 || (long)count * EntryBytes != bytes.Length - HeaderBytes)
        {
            throw new InvalidDataException($"{count} entries do not fill {bytes.Length - HeaderBytes} bytes");
        }
        for (var position = HeaderBytes; position < bytes.Length; position += EntryBytes)
        {
            var entry = bytes.AsSpan(position, EntryBytes);
            var producerId = BinaryPrimitives.ReadInt64BigEndian(entry);
            var epoch = BinaryPrimitives.ReadInt16BigEndian(entry[8..]);
            var lastSequence = BinaryPrimitives.ReadInt32BigEndian(entry[10..]);
            var lastOffset = BinaryPrimitives.ReadInt64BigEndian(entry[14..]);
            var offsetDelta = BinaryPrimitives.ReadInt32BigEndian(entry[22..]);
            var timestamp = BinaryPrimitives.ReadInt64BigEndian(entry[26..]);
            if (producerId < 0 || offsetDelta < 0 || lastSequence < 0)
            {
                throw new InvalidDataException($"entry at byte {position} holds producer {producerId}, sequence {lastSequence}, delta {offsetDelta}");
            }
            if (!producers.TryGetValue(producerId, out var producer))
            {
                producer = new ProducerStateEntry(producerId, epoch);
                producers.Add(producerId, producer);
            }
            producer.Add(epoch, new BatchMetadata(ProducerSequence.First(lastSequence, offsetDelta), lastSequence, lastOffset - offsetDelta, lastOffset, timestamp));
        }
    }
}
