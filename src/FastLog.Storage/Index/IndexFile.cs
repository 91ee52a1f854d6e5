using FastLog.Storage.Files;

namespace FastLog.Storage.Index;

/// <summary>
/// A sparse index of fixed-size big-endian entries, memory-mapped. The active segment's index is preallocated
/// to its maximum size and trimmed to its entries when the segment rolls. Indexes are not checksummed: recovery
/// rebuilds them from the log, which is the source of truth (as Kafka does).
/// </summary>
public abstract class IndexFile
{
    /// <summary>Kafka's warm section: lookups near the head touch only the last 8 KiB of the index.</summary>
    private const int WarmBytes = 8192;

    private readonly FileCache _cache;
    private int _entries;
    private int _flushedEntries;

    protected IndexFile(string path, long baseOffset, int maxIndexBytes, FileCache cache, bool create)
    {
        _cache = cache;
        BaseOffset = baseOffset;
        MaxEntries = Math.Max(1, maxIndexBytes / EntrySizeOf(this));
        if (create)
        {
            using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.SetLength(handle, (long)MaxEntries * EntrySize);
        }
        Mapped = new MappedFile(path, writableMapping: true);
    }

    public MappedFile Mapped { get; }
    public long BaseOffset { get; }
    public int MaxEntries { get; private set; }
    public int Entries => Volatile.Read(ref _entries);
    public bool IsFull => _entries >= MaxEntries;
    public abstract int EntrySize { get; }

    private static int EntrySizeOf(IndexFile index) => index.EntrySize;

    /// <summary>Takes the entries of an existing (trimmed) index file; false when its size is not a whole number of entries.</summary>
    public bool LoadEntriesFromLength()
    {
        var length = new FileInfo(Mapped.Path).Length;
        if (length % EntrySize != 0)
        {
            return false;
        }
        _entries = (int)(length / EntrySize);
        MaxEntries = Math.Max(MaxEntries, _entries);
        return true;
    }

    /// <summary>Drops every entry; used before a rebuild.</summary>
    public void Reset()
    {
        Volatile.Write(ref _entries, 0);
    }

    /// <summary>Makes the file hold exactly its entries (roll, clean shutdown).</summary>
    public void Trim()
    {
        MaxEntries = _entries;
        Resize(_entries);
    }

    /// <summary>Makes room for appends again (the segment becomes active after a clean shutdown).</summary>
    public void Expand(int maxIndexBytes)
    {
        MaxEntries = Math.Max(_entries, maxIndexBytes / EntrySize);
        Resize(MaxEntries);
    }

    public void TruncateToEntries(int entries)
    {
        Volatile.Write(ref _entries, Math.Clamp(entries, 0, _entries));
    }

    public void MarkFlushed() => _flushedEntries = Entries;

    /// <summary>
    /// Syncs the index when entries were added since the last flush. A trim needs no sync of its own: an index
    /// whose trim was lost fails the clean-load check and is rebuilt from the log.
    /// </summary>
    public void Flush()
    {
        var entries = Entries;
        if (entries == _flushedEntries)
        {
            return;
        }
        using (var lease = _cache.Acquire(Mapped))
        {
            Files.LibC.DataSync(lease.Handle);
        }
        _flushedEntries = entries;
    }

    protected FileLease Lease() => _cache.Acquire(Mapped);

    protected void CommitAppend() => Volatile.Write(ref _entries, _entries + 1);

    /// <summary>
    /// Index of the last entry whose key is at most <paramref name="target"/>, or -1. Searches the warm tail
    /// first so a consumer near the head does not fault in cold pages.
    /// </summary>
    protected int LargestLowerBound(ReadOnlySpan<byte> entries, long target)
    {
        var count = entries.Length / EntrySize;
        if (count == 0 || KeyAt(entries, 0) > target)
        {
            return -1;
        }
        var warmEntries = WarmBytes / EntrySize;
        var firstWarm = Math.Max(0, count - warmEntries);
        return KeyAt(entries, firstWarm) <= target
            ? BinarySearch(entries, target, firstWarm, count - 1)
            : BinarySearch(entries, target, 0, firstWarm);
    }

    protected abstract long KeyAt(ReadOnlySpan<byte> entries, int index);

    private int BinarySearch(ReadOnlySpan<byte> entries, long target, int low, int high)
    {
        while (low < high)
        {
            var middle = (int)(((uint)low + (uint)high + 1) >> 1);
            if (KeyAt(entries, middle) <= target)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }
        return low;
    }

    private void Resize(int entries)
    {
        _cache.Invalidate(Mapped);
        using var handle = System.IO.File.OpenHandle(Mapped.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, (long)entries * EntrySize);
    }
}
