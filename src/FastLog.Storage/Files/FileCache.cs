namespace FastLog.Storage.Files;

/// <summary>
/// A bounded LRU of open files and their mappings. Each open file costs one descriptor and one mapping;
/// the cache closes the least recently used idle ones past its capacity. Files in use by a lease are never
/// closed under their reader: if all are busy the cache goes over capacity until leases end.
/// </summary>
public sealed class FileCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<MappedFile> _lru = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "the file cache needs room for at least one file");

    public int OpenCount
    {
        get
        {
            lock (_lock)
            {
                return _lru.Count;
            }
        }
    }

    public FileLease Acquire(MappedFile file)
    {
        lock (_lock)
        {
            var opened = file.Opened;
            if (opened is null)
            {
                opened = new OpenedFile(file.Path, file.WritableMapping);
                file.Opened = opened;
                file.LruNode = _lru.AddFirst(file);
                EvictIdle();
            }
            else if (file.LruNode is { } node && node != _lru.First)
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
            }
            opened.References++;
            return new FileLease(this, opened);
        }
    }

    /// <summary>
    /// Closes the file's current open (after its last lease), so the next acquire maps the file anew.
    /// Called when a file changes length: a mapping must not extend past the end of its file.
    /// </summary>
    public void Invalidate(MappedFile file)
    {
        lock (_lock)
        {
            Close(file);
        }
    }

    internal void Release(OpenedFile opened)
    {
        lock (_lock)
        {
            opened.References--;
            if (opened.References == 0 && opened.Retired)
            {
                opened.Dispose();
            }
        }
    }

    private void EvictIdle()
    {
        var node = _lru.Last;
        while (_lru.Count > Capacity && node is not null)
        {
            var previous = node.Previous;
            if (node.Value.Opened is { References: 0 })
            {
                Close(node.Value);
            }
            node = previous;
        }
    }

    private void Close(MappedFile file)
    {
        if (file.Opened is not { } opened)
        {
            return;
        }
        file.Opened = null;
        if (file.LruNode is not null)
        {
            _lru.Remove(file.LruNode);
            file.LruNode = null;
        }
        opened.Retired = true;
        if (opened.References == 0)
        {
            opened.Dispose();
        }
    }
}

/// <summary>A use of an open file; dispose it to let the cache close the file again.</summary>
public readonly unsafe struct FileLease : IDisposable
{
    private readonly FileCache _cache;
    private readonly OpenedFile _opened;

    internal FileLease(FileCache cache, OpenedFile opened)
    {
        _cache = cache;
        _opened = opened;
    }

    public Microsoft.Win32.SafeHandles.SafeFileHandle Handle => _opened.Handle;
    public long MappedLength => _opened.MappedLength;

    /// <summary>The mapped bytes [0, length); length must stay within what was mapped.</summary>
    public ReadOnlySpan<byte> Bytes(long position, int length)
    {
        if (position < 0 || length < 0 || position + length > _opened.MappedLength)
        {
            throw new ArgumentOutOfRangeException(nameof(position), $"[{position}, {position + length}) is outside the {_opened.MappedLength} mapped bytes");
        }
        return new ReadOnlySpan<byte>(_opened.Pointer + position, length);
    }

    public Span<byte> WritableBytes(long position, int length)
    {
        if (position < 0 || length < 0 || position + length > _opened.MappedLength)
        {
            throw new ArgumentOutOfRangeException(nameof(position), $"[{position}, {position + length}) is outside the {_opened.MappedLength} mapped bytes");
        }
        return new Span<byte>(_opened.Pointer + position, length);
    }

    public void Dispose() => _cache?.Release(_opened);
}
