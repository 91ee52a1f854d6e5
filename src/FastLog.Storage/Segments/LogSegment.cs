using System.Buffers.Binary;
using FastLog.Protocol.Records;
using FastLog.Storage.Files;
using FastLog.Storage.Index;

namespace FastLog.Storage.Segments;

/// <summary>
/// One segment of a partition: a .log file of record batches plus its sparse .index and .timeindex.
/// Bytes enter with positioned writes (measured far faster than stores through a mapping, whose every fresh
/// page faults) and leave through the mapping or straight from the file. One writer appends; readers see
/// bytes only below <see cref="Size"/>, which the writer publishes after each write.
/// </summary>
public sealed class LogSegment
{
    /// <summary>Source of zeros for ZeroAhead; written in slices so no chunk-sized buffer is allocated.</summary>
    private static readonly byte[] Zeros = new byte[256 * 1024];

    private readonly LogConfig _config;
    private readonly FileCache _cache;
    private int _size;
    private long _fileLength;
    /// <summary>
    /// Guards the zeroed frontier and the file length, which the background preparer reads and moves: its
    /// zeros must never land on bytes an append wrote, so an append past the frontier waits for it here.
    /// </summary>
    private readonly Lock _zeroLock = new();
    private long _zeroedUpTo;
    private int _preparationQueued;
    private bool _retired;
    private int _bytesSinceIndexEntry;
    private long _nextOffset;
    private long _maxTimestamp = -1;
    private long _offsetOfMaxTimestamp = -1;
    private int _flushedSize = -1;
    private int _verifiedUpTo;
    private long _flushedFileLength = -1;
    private readonly List<ReadOnlyMemory<byte>> _deferredBytes = [];
    private readonly List<DeferredBatch> _deferred = [];
    private int _deferredEnd;
    private long _nextOffsetBeforeDeferred;

    private LogSegment(string directory, long baseOffset, LogConfig config, FileCache cache, bool create, string fileSuffix = "")
    {
        Directory = directory;
        BaseOffset = baseOffset;
        _config = config;
        _cache = cache;
        _nextOffset = baseOffset;
        LogFile = new MappedFile(SegmentFileNames.Log(directory, baseOffset) + fileSuffix, writableMapping: false);
        OffsetIndex = new OffsetIndex(SegmentFileNames.Index(directory, baseOffset) + fileSuffix, baseOffset, config.MaxIndexBytes, cache, create);
        TimeIndex = new TimeIndex(SegmentFileNames.TimeIndex(directory, baseOffset) + fileSuffix, baseOffset, config.MaxIndexBytes, cache, create);
    }

    public string Directory { get; }
    public long BaseOffset { get; }
    public MappedFile LogFile { get; }
    public OffsetIndex OffsetIndex { get; }
    public TimeIndex TimeIndex { get; }

    /// <summary>Bytes of valid batches; readers never look past it.</summary>
    public int Size => Volatile.Read(ref _size);

    /// <summary>The offset after the last batch of this segment.</summary>
    public long NextOffset => Volatile.Read(ref _nextOffset);

    /// <summary>Largest batch timestamp in the segment, or -1 when empty (retention by time uses it).</summary>
    public long MaxTimestamp => Volatile.Read(ref _maxTimestamp);

    /// <summary>Wall-clock time of the first append, for segment.ms rolls.</summary>
    public long FirstAppendMs { get; private set; } = -1;

    public static LogSegment Create(string directory, long baseOffset, LogConfig config, FileCache cache)
    {
        var segment = new LogSegment(directory, baseOffset, config, cache, create: true);
        // Preparation starts with the first append, so partitions that are never written cost no zeros.
        segment.Preallocate(config.SegmentBytes, createFile: true);
        return segment;
    }

    /// <summary>
    /// A segment the cleaner writes: its files carry <paramref name="fileSuffix"/> (".cleaned") until they are
    /// swapped in by <see cref="RenameFiles"/>. Sparse rather than zeroed ahead: it is written once, flushed once
    /// and trimmed, so zeroing would only double its writes.
    /// </summary>
    public static LogSegment CreateWithSuffix(string directory, long baseOffset, LogConfig config, FileCache cache, string fileSuffix)
    {
        var sparse = config with { Preallocation = SegmentPreallocation.None };
        var segment = new LogSegment(directory, baseOffset, sparse, cache, create: true, fileSuffix);
        segment.Preallocate(config.SegmentBytes, createFile: true);
        return segment;
    }

    /// <summary>
    /// Renames the segment's files from ending in <paramref name="fromSuffix"/> to ending in
    /// <paramref name="toSuffix"/>: the indexes first and the log last, so the log's name is the one that tells
    /// recovery how far a swap got. Open handles and mappings stay valid across a rename.
    /// </summary>
    public void RenameFiles(string fromSuffix, string toSuffix)
    {
        foreach (var file in new[] { OffsetIndex.Mapped, TimeIndex.Mapped, LogFile })
        {
            if (!file.Path.EndsWith(fromSuffix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{file.Path} does not end in '{fromSuffix}'");
            }
            file.MoveTo(file.Path[..^fromSuffix.Length] + toSuffix);
        }
    }

    /// <summary>Opens the files of an existing segment; the caller then loads or recovers it.</summary>
    public static LogSegment Open(string directory, long baseOffset, LogConfig config, FileCache cache) =>
        new(directory, baseOffset, config, cache, create: false);

    public bool IsFullFor(int batchBytes, long lastOffset, long nowMs)
    {
        var size = _deferred.Count > 0 ? _deferredEnd : Size;
        if (size == 0)
        {
            return false; // an oversized batch still gets a segment of its own
        }
        return (long)size + batchBytes > _config.SegmentBytes
            || lastOffset - BaseOffset > int.MaxValue
            || OffsetIndex.IsFull
            || TimeIndex.IsFull
            || (FirstAppendMs >= 0 && nowMs - FirstAppendMs >= _config.SegmentMs);
    }

    /// <summary>
    /// Writes a batch whose offsets are already assigned, and indexes it sparsely. Deferred batches must be written
    /// first (<see cref="PartitionLog"/> does, with the producer state's bookkeeping that goes with it).
    /// </summary>
    public void Append(ReadOnlySpan<byte> batch, long baseOffset, long lastOffset, long maxTimestamp, long nowMs)
    {
        if (_deferred.Count > 0)
        {
            throw new InvalidOperationException($"segment {BaseOffset}: a batch appended while {_deferred.Count} deferred ones are unwritten would go over them");
        }
        var position = _size;
        var end = (long)position + batch.Length;
        MakeRoomUpTo(end);

        using (var lease = _cache.Acquire(LogFile))
        {
            RandomAccess.Write(lease.Handle, batch, position);
        }
        Written(position, batch.Length, baseOffset, lastOffset, maxTimestamp, nowMs);
        RequestPreparationIfNeeded();
    }

    /// <summary>
    /// Takes a batch whose offsets are assigned without writing it yet: <see cref="WriteDeferred"/> writes every
    /// deferred batch with one gathering write (pwritev), so a writer pass costs one system call per partition
    /// instead of one per batch. Until then the batch is invisible: <see cref="Size"/>, the indexes and the
    /// max timestamp move only once its bytes are in the file; only <see cref="NextOffset"/> moves now, so the
    /// next batch gets the offsets after it. The caller keeps <paramref name="batch"/>'s memory unchanged until
    /// the write. Callers hold the partition's write lock across both calls.
    /// </summary>
    public void AppendDeferred(ReadOnlyMemory<byte> batch, long baseOffset, long lastOffset, long maxTimestamp, long nowMs)
    {
        if (_deferred.Count == 0)
        {
            _deferredEnd = _size;
            _nextOffsetBeforeDeferred = _nextOffset;
        }
        var position = _deferredEnd;
        var end = (long)position + batch.Length;
        MakeRoomUpTo(end);
        _deferredBytes.Add(batch);
        _deferred.Add(new DeferredBatch(position, batch.Length, baseOffset, lastOffset, maxTimestamp, nowMs));
        _deferredEnd = (int)end;
        Volatile.Write(ref _nextOffset, lastOffset + 1);
    }

    /// <summary>Batches taken by <see cref="AppendDeferred"/> and not written yet.</summary>
    public bool HasDeferred => _deferred.Count > 0;

    /// <summary>
    /// Writes the deferred batches in one gathering write and publishes them to readers. When the write fails they
    /// are dropped (the next offset goes back to before them) and the exception propagates: none was acknowledged.
    /// </summary>
    public void WriteDeferred()
    {
        if (_deferred.Count == 0)
        {
            return;
        }
        try
        {
            using var lease = _cache.Acquire(LogFile);
            GatheredWrite.Write(lease.Handle, _deferredBytes, _deferred[0].Position);
        }
        catch
        {
            DiscardDeferred();
            throw;
        }
        foreach (var batch in _deferred)
        {
            Written(batch.Position, batch.Length, batch.BaseOffset, batch.LastOffset, batch.MaxTimestamp, batch.NowMs);
        }
        _deferred.Clear();
        _deferredBytes.Clear();
        RequestPreparationIfNeeded();
    }

    /// <summary>Forgets the deferred batches, as if they had never been appended.</summary>
    public void DiscardDeferred()
    {
        if (_deferred.Count > 0)
        {
            Volatile.Write(ref _nextOffset, _nextOffsetBeforeDeferred);
            _deferred.Clear();
            _deferredBytes.Clear();
        }
    }

    /// <summary>Checks the 2 GiB limit and makes sure the file is long enough and zeroed (per the preallocation mode) up to <paramref name="end"/>.</summary>
    private void MakeRoomUpTo(long end)
    {
        if (end > int.MaxValue)
        {
            throw new InvalidOperationException($"segment {BaseOffset} cannot grow past 2 GiB");
        }
        if (end > _fileLength)
        {
            lock (_zeroLock)
            {
                Preallocate(end, createFile: false);
            }
        }
        if (_config.Preallocation is SegmentPreallocation.ZeroAhead or SegmentPreallocation.Prepared && end > PreparedUpTo)
        {
            lock (_zeroLock)
            {
                // Prepared: the preparer fell behind (or its chunk is in flight, which this lock waits for).
                ZeroUpTo(Math.Min(_fileLength, Math.Max(end, _zeroedUpTo + _config.ZeroAheadBytes)));
            }
        }
    }

    /// <summary>Indexes a batch now in the file and publishes it to readers (size last).</summary>
    private void Written(int position, int length, long baseOffset, long lastOffset, long maxTimestamp, long nowMs)
    {
        var end = position + length;
        if (FirstAppendMs < 0)
        {
            FirstAppendMs = nowMs;
        }
        IndexBatch(position, length, baseOffset, maxTimestamp);
        Volatile.Write(ref _nextOffset, Math.Max(Volatile.Read(ref _nextOffset), lastOffset + 1));
        if (_verifiedUpTo == position)
        {
            Volatile.Write(ref _verifiedUpTo, end); // appended batches were validated by the caller
        }
        Volatile.Write(ref _size, end);
    }

    private void RequestPreparationIfNeeded()
    {
        if (NeedsPreparation())
        {
            RequestPreparation();
        }
    }

    /// <summary>Bytes from the start of the file that are written (data or zeros) and synced.</summary>
    public long PreparedUpTo => Volatile.Read(ref _zeroedUpTo);

    /// <summary>
    /// Prepared mode keeps the zeros at least half of log.prepare.ahead.bytes ahead of the appends; the
    /// preparer then runs a chunk at a time up to the whole window.
    /// </summary>
    private bool NeedsPreparation() =>
        _config.Preallocation == SegmentPreallocation.Prepared
        && !Volatile.Read(ref _retired)
        && PreparedUpTo < Math.Min(Volatile.Read(ref _fileLength), (long)Size + _config.PrepareAheadBytes / 2);

    private void RequestPreparation()
    {
        if (_config.Preallocation == SegmentPreallocation.Prepared && Interlocked.Exchange(ref _preparationQueued, 1) == 0)
        {
            SegmentPreparer.For(Directory).Enqueue(this);
        }
    }

    /// <summary>The preparer's work on this segment: zero chunk after chunk up to the window ahead of the appends.</summary>
    internal void PrepareAhead()
    {
        try
        {
            while (true)
            {
                lock (_zeroLock)
                {
                    var target = Math.Min(_fileLength, (long)Size + _config.PrepareAheadBytes);
                    if (_retired || _zeroedUpTo >= target)
                    {
                        break;
                    }
                    ZeroUpTo(Math.Min(target, _zeroedUpTo + _config.ZeroAheadBytes));
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // The segment went away under the preparer (deleted topic) or its disk failed: appends zero inline
            // from here on, and a failing disk then fails them with a storage error where it can be answered.
            Volatile.Write(ref _retired, true);
        }
        Volatile.Write(ref _preparationQueued, 0);
        if (NeedsPreparation())
        {
            RequestPreparation(); // appends that came while this pass ended found it still queued
        }
    }

    /// <summary>The first batch whose last offset is at or after <paramref name="offset"/>, or null if none is.</summary>
    public BatchPosition? FindBatch(long offset)
    {
        var size = Size;
        var start = OffsetIndex.Lookup(offset).Position;
        using var lease = _cache.Acquire(LogFile);
        for (var position = start; position + RecordBatchLayout.HeaderSize <= size;)
        {
            var batch = ReadBatchPosition(lease, position, size);
            if (batch.LastOffset >= offset)
            {
                return batch;
            }
            position += batch.Size;
        }
        return null;
    }

    /// <summary>
    /// Batches from the one holding <paramref name="offset"/>, whole, up to <paramref name="maxBytes"/>.
    /// With <paramref name="minOneBatch"/> the first batch is returned even when larger, so consumers progress.
    /// Batches starting at or after <paramref name="maxOffsetExclusive"/> are left out (high watermark).
    /// </summary>
    public FileRegion Read(long offset, int maxBytes, bool minOneBatch, long maxOffsetExclusive)
    {
        if (FindBatch(offset) is not { } first || first.BaseOffset >= maxOffsetExclusive)
        {
            return FileRegion.Empty;
        }
        using var lease = _cache.Acquire(LogFile);
        if (first.Size > maxBytes)
        {
            return minOneBatch ? Verified(lease, new FileRegion(this, first.Position, first.Size)) : FileRegion.Empty;
        }

        var size = Size;
        var length = first.Size;
        // Jump to the indexed batch nearest the byte and offset limits: every batch before it fits both,
        // so only the last index interval is walked header by header.
        var byBytes = OffsetIndex.LookupByPosition((int)Math.Min((long)first.Position + maxBytes, size));
        var byOffset = maxOffsetExclusive == long.MaxValue ? byBytes : OffsetIndex.Lookup(maxOffsetExclusive - 1);
        var jump = byBytes.Position <= byOffset.Position ? byBytes : byOffset;
        if (jump.Position > first.Position + first.Size)
        {
            length = jump.Position - first.Position;
        }
        while (first.Position + length + RecordBatchLayout.HeaderSize <= size)
        {
            var next = ReadBatchPosition(lease, first.Position + length, size);
            if (next.BaseOffset >= maxOffsetExclusive || (long)length + next.Size > maxBytes)
            {
                break;
            }
            length += next.Size;
        }
        return Verified(lease, new FileRegion(this, first.Position, length));
    }

    /// <summary>
    /// Bytes below this position were checked in this process (appended after validation, recovered, or
    /// verified by an earlier read). Segments trusted at open without a scan are verified lazily as they are
    /// read, each byte once, so a batch corrupted at rest is never served.
    /// </summary>
    public int VerifiedPosition => Volatile.Read(ref _verifiedUpTo);

    private FileRegion Verified(FileLease lease, FileRegion region)
    {
        var end = (int)region.Position + region.Length;
        var verified = VerifiedPosition;
        if (end <= verified)
        {
            return region;
        }
        var position = (int)region.Position;
        while (position < end)
        {
            var batchSize = RecordBatchHeader.ReadBatchLength(lease.Bytes(position, RecordBatchLayout.HeaderSize)) + RecordBatchLayout.LogOverhead;
            if (position + batchSize > verified)
            {
                var validation = RecordBatchValidator.Validate(lease.Bytes(position, end - position), requireDenseOffsets: false);
                if (!validation.IsValid)
                {
                    if (position == region.Position)
                    {
                        throw new CorruptBatchException(LogFile.Path, RecordBatchHeader.ReadBaseOffset(lease.Bytes(position, 8)), position, validation.Message!);
                    }
                    break; // serve the good batches before it; the next read reports the corrupt one
                }
            }
            position += batchSize;
        }
        if (region.Position <= verified)
        {
            // Only a contiguous verified prefix can move the mark; a read further on verifies its own bytes again later.
            AtomicMax.Raise(ref _verifiedUpTo, position);
        }
        return new FileRegion(this, region.Position, position - (int)region.Position);
    }

    /// <summary>The first batch whose max timestamp is at or after the target, or null.</summary>
    public BatchPosition? FindBatchByTimestamp(long timestamp)
    {
        var fromOffset = TimeIndex.Lookup(timestamp).Offset;
        var start = OffsetIndex.Lookup(fromOffset).Position;
        var size = Size;
        using var lease = _cache.Acquire(LogFile);
        for (var position = start; position + RecordBatchLayout.HeaderSize <= size;)
        {
            var batch = ReadBatchPosition(lease, position, size);
            if (batch.MaxTimestamp >= timestamp)
            {
                return batch;
            }
            position += batch.Size;
        }
        return null;
    }

    /// <summary>
    /// Pins the .log file open (and mapped) until the lease is disposed: the file cache does not close it under the
    /// lease, and retention's rename and delete leave an open file readable, so a send may outlast both.
    /// </summary>
    public FileLease LeaseLog() => _cache.Acquire(LogFile);

    public int CopyBytes(long position, Span<byte> destination)
    {
        using var lease = _cache.Acquire(LogFile);
        lease.Bytes(position, destination.Length).CopyTo(destination);
        return destination.Length;
    }

    /// <summary>Runs an action over the mapped bytes [position, position + length) without copying them.</summary>
    public TResult WithBytes<TState, TResult>(long position, int length, TState state, SpanFunc<TState, TResult> action)
    {
        using var lease = _cache.Acquire(LogFile);
        return action(lease.Bytes(position, length), state);
    }

    /// <summary>
    /// fdatasync of the log, then the indexes (they are rebuilt past the recovery point anyway). A segment with
    /// nothing new since its last flush costs no system call, so flushing many idle partitions is cheap.
    /// </summary>
    /// <param name="includeIndexes">
    /// False for the active segment: recovery always rescans it and rebuilds its indexes, so syncing them on
    /// every flush would only add fdatasyncs to the produce path.
    /// </param>
    public void Flush(bool includeIndexes = true)
    {
        var size = Size;
        if (size != _flushedSize || _fileLength != _flushedFileLength)
        {
            using (var lease = _cache.Acquire(LogFile))
            {
                LibC.DataSync(lease.Handle);
            }
            _flushedSize = size;
            _flushedFileLength = _fileLength;
        }
        if (includeIndexes)
        {
            OffsetIndex.Flush();
            TimeIndex.Flush();
        }
    }

    /// <summary>Takes note that the file system was synced as a whole, so the next flush has nothing to do.</summary>
    public void MarkFlushed()
    {
        _flushedSize = Size;
        _flushedFileLength = _fileLength;
        OffsetIndex.MarkFlushed();
        TimeIndex.MarkFlushed();
    }

    /// <summary>Cuts the preallocated tail off: the segment is no longer appended to (roll, clean shutdown).</summary>
    public void Trim()
    {
        // Indexes first: if a crash falls between, the untrimmed log fails the clean load and is recovered.
        OffsetIndex.Trim();
        TimeIndex.Trim();
        lock (_zeroLock)
        {
            _retired = true; // no longer appended to: the preparer leaves it alone
            SetFileLength(Size);
            _zeroedUpTo = Size;
        }
    }

    /// <summary>Prepares a trimmed segment for appends again (it is the active one after a clean restart).</summary>
    public void Reactivate()
    {
        lock (_zeroLock)
        {
            _retired = false;
            Preallocate(Math.Max(_config.SegmentBytes, Size), createFile: false);
        }
        OffsetIndex.Expand(_config.MaxIndexBytes);
        TimeIndex.Expand(_config.MaxIndexBytes);
    }

    /// <summary>Removes every batch from the one holding <paramref name="offset"/> on; returns the bytes removed.</summary>
    public int TruncateTo(long offset)
    {
        if (FindBatch(offset) is not { } batch)
        {
            return 0;
        }
        var cutAt = batch.BaseOffset < offset ? batch.Position + batch.Size : batch.Position;
        var keptNext = batch.BaseOffset < offset ? batch.LastOffset + 1 : batch.BaseOffset;
        var removed = Size - cutAt;
        OffsetIndex.TruncateTo(keptNext);
        TimeIndex.TruncateTo(keptNext);
        CutAt(cutAt, keptNext);
        RecomputeMaxTimestamp();
        return removed;
    }

    /// <summary>
    /// Loads a segment that was closed cleanly: its files are trimmed to their real sizes.
    /// Only the part after the last index entry is scanned, to find the next offset and max timestamp.
    /// </summary>
    public bool TryLoadClean()
    {
        _fileLength = new FileInfo(LogFile.Path).Length;
        if (_fileLength > int.MaxValue || !OffsetIndex.LoadEntriesFromLength() || !TimeIndex.LoadEntriesFromLength())
        {
            return false;
        }
        _size = (int)_fileLength;
        _zeroedUpTo = _fileLength;
        var lastEntry = OffsetIndex.Entries > 0 ? OffsetIndex.EntryAt(OffsetIndex.Entries - 1) : new OffsetPosition(BaseOffset, 0);
        // Entries are never made for position 0, so a zero entry is an untrimmed index: rebuild it.
        if (lastEntry.Position > _size || lastEntry.Offset < BaseOffset || OffsetIndex.Entries > 0 && (lastEntry.Position == 0 || lastEntry.Offset == BaseOffset))
        {
            return false;
        }

        _maxTimestamp = TimeIndex.LastEntry?.Timestamp ?? -1;
        _offsetOfMaxTimestamp = TimeIndex.LastEntry?.Offset ?? -1;
        _nextOffset = lastEntry.Offset;
        using var lease = _cache.Acquire(LogFile);
        var position = lastEntry.Position;
        while (position < _size)
        {
            if (position + RecordBatchLayout.HeaderSize > _size)
            {
                return false;
            }
            var batch = ReadBatchPosition(lease, position, int.MaxValue);
            if (batch.Size < RecordBatchLayout.HeaderSize || (long)position + batch.Size > _size || batch.BaseOffset < _nextOffset)
            {
                return false;
            }
            TrackTimestamp(batch.MaxTimestamp, batch.BaseOffset);
            _nextOffset = batch.LastOffset + 1;
            position += batch.Size;
        }
        return true;
    }

    /// <summary>
    /// Validates every batch from the start (length, magic, CRC-32C, counts, offsets ascending), rebuilds both
    /// indexes, and cuts the file at the first batch that fails: a torn write or corruption is never served.
    /// </summary>
    public SegmentRecovery Recover(long expectedFirstOffset)
    {
        _fileLength = new FileInfo(LogFile.Path).Length;
        OffsetIndex.Reset();
        TimeIndex.Reset();
        OffsetIndex.Expand(_config.MaxIndexBytes);
        TimeIndex.Expand(_config.MaxIndexBytes);
        _size = 0;
        _nextOffset = Math.Max(BaseOffset, expectedFirstOffset);
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = -1;
        _bytesSinceIndexEntry = 0;

        var scanLimit = (int)Math.Min(_fileLength, int.MaxValue);
        var position = 0;
        var batches = 0;
        string? cutReason = null;
        using (var lease = _cache.Acquire(LogFile))
        {
            while (position < scanLimit)
            {
                var remaining = scanLimit - position;
                if (remaining >= RecordBatchLayout.LogOverhead && IsZeroHeader(lease, position))
                {
                    break; // preallocated zeros: the clean end of the log
                }
                var window = lease.Bytes(position, remaining);
                var validation = RecordBatchValidator.Validate(window, requireDenseOffsets: false);
                if (!validation.IsValid)
                {
                    cutReason = validation.Message;
                    break;
                }
                var header = validation.Header;
                if (header.BaseOffset < _nextOffset)
                {
                    cutReason = $"batch at offset {header.BaseOffset} is below the expected next offset {_nextOffset}";
                    break;
                }
                if (header.LastOffset - BaseOffset > int.MaxValue)
                {
                    cutReason = $"batch offset {header.LastOffset} is out of this segment's range";
                    break;
                }
                IndexBatch(position, header.TotalSize, header.BaseOffset, header.MaxTimestamp);
                _nextOffset = header.LastOffset + 1;
                position += header.TotalSize;
                _size = position;
                batches++;
            }
        }

        _verifiedUpTo = position;
        var cutPosition = position;
        if (cutReason is not null || position < _fileLength)
        {
            // Drop the tail's blocks: bytes of a torn or stale batch must not survive to be parsed again later.
            SetFileLength(position);
        }
        // The recovered batches are written bytes, whatever the file's length was: zeroing ahead of the next
        // appends starts after them. (A file that ended exactly at its data, a segment trimmed by a roll that a
        // crash cut short, once left this at 0, and the zeros ahead of the first append wiped the segment.)
        _zeroedUpTo = position;
        return new SegmentRecovery(position, _nextOffset, batches, cutReason, cutPosition);
    }

    /// <summary>Closes this segment's files and removes them.</summary>
    public void Delete()
    {
        Retire();
        _cache.Invalidate(LogFile);
        _cache.Invalidate(OffsetIndex.Mapped);
        _cache.Invalidate(TimeIndex.Mapped);
        File.Delete(LogFile.Path);
        File.Delete(OffsetIndex.Mapped.Path);
        File.Delete(TimeIndex.Mapped.Path);
    }

    public const string DeletedSuffix = ".deleted";

    /// <summary>Stops the preparer's work on this segment before its files go, waiting for a chunk in flight.</summary>
    private void Retire()
    {
        lock (_zeroLock)
        {
            _retired = true;
        }
    }

    /// <summary>
    /// Retention's and the cleaner's delete: the files are renamed to "*.deleted" at once (a restart removes leftovers) and removed
    /// after <paramref name="delay"/> (file.delete.delay.ms), so a fetch still sending from this segment is never
    /// cut off mid-send.
    /// </summary>
    public void DeleteAfter(TimeSpan delay)
    {
        Retire();
        var files = new[] { LogFile, OffsetIndex.Mapped, TimeIndex.Mapped };
        foreach (var file in files)
        {
            _cache.Invalidate(file);
            if (File.Exists(file.Path))
            {
                // The cleaner may replace a segment of the same base offset again within the delay: the earlier
                // one's files keep their own name, so its timer never removes the later one's early.
                var target = file.Path + DeletedSuffix;
                for (var n = 1; File.Exists(target); n++)
                {
                    target = $"{file.Path}.{n}{DeletedSuffix}";
                }
                file.MoveTo(target);
            }
        }
        var paths = files.Select(f => f.Path).ToArray();
        _ = Task.Delay(delay).ContinueWith(_ =>
        {
            foreach (var path in paths)
            {
                try
                {
                    File.Delete(path);
                }
                catch (IOException)
                {
                    // The partition folder went away first (topic deleted): nothing left to remove.
                }
            }
        }, TaskScheduler.Default);
    }

    private static bool IsZeroHeader(FileLease lease, int position) =>
        BinaryPrimitives.ReadInt64LittleEndian(lease.Bytes(position, 8)) == 0
        && BinaryPrimitives.ReadInt32LittleEndian(lease.Bytes(position + 8, 4)) == 0;

    /// <summary>
    /// Reads the header fields a scan needs. A size that cannot be (smaller than a header, or past
    /// <paramref name="limit"/>) means the bytes are corrupt: walking on would loop or leave the segment.
    /// </summary>
    private BatchPosition ReadBatchPosition(FileLease lease, int position, int limit)
    {
        var header = lease.Bytes(position, RecordBatchLayout.HeaderSize);
        var baseOffset = RecordBatchHeader.ReadBaseOffset(header);
        var size = (long)RecordBatchHeader.ReadBatchLength(header) + RecordBatchLayout.LogOverhead;
        if (limit != int.MaxValue && (size < RecordBatchLayout.HeaderSize || position + size > limit))
        {
            throw new CorruptBatchException(LogFile.Path, baseOffset, position, $"batch length {size - RecordBatchLayout.LogOverhead} does not fit the segment");
        }
        return new BatchPosition(
            position,
            (int)Math.Clamp(size, int.MinValue, int.MaxValue),
            baseOffset,
            baseOffset + RecordBatchHeader.ReadLastOffsetDelta(header),
            RecordBatchHeader.ReadMaxTimestamp(header));
    }

    private void IndexBatch(int position, int size, long baseOffset, long maxTimestamp)
    {
        TrackTimestamp(maxTimestamp, baseOffset);
        // Kafka's rule: an entry once more than index.interval.bytes were appended since the last one.
        if (_bytesSinceIndexEntry > _config.IndexIntervalBytes)
        {
            OffsetIndex.Append(baseOffset, position);
            TimeIndex.MaybeAppend(_maxTimestamp, _offsetOfMaxTimestamp);
            _bytesSinceIndexEntry = 0;
        }
        _bytesSinceIndexEntry += size;
    }

    private void TrackTimestamp(long maxTimestamp, long offset)
    {
        if (maxTimestamp > _maxTimestamp)
        {
            Volatile.Write(ref _maxTimestamp, maxTimestamp);
            _offsetOfMaxTimestamp = offset;
        }
    }

    private void RecomputeMaxTimestamp()
    {
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = -1;
        var size = Size;
        using var lease = _cache.Acquire(LogFile);
        for (var position = 0; position + RecordBatchLayout.HeaderSize <= size;)
        {
            var batch = ReadBatchPosition(lease, position, size);
            TrackTimestamp(batch.MaxTimestamp, batch.BaseOffset);
            position += batch.Size;
        }
    }

    private void CutAt(int position, long nextOffset)
    {
        Volatile.Write(ref _size, position);
        Volatile.Write(ref _verifiedUpTo, Math.Min(_verifiedUpTo, position));
        Volatile.Write(ref _nextOffset, nextOffset);
        lock (_zeroLock)
        {
            var length = _fileLength;
            SetFileLength(position);
            _zeroedUpTo = position;
            if (length > position)
            {
                Preallocate(length, createFile: false); // stays appendable, tail blocks freed
            }
        }
        _bytesSinceIndexEntry = 0;
        RequestPreparation();
    }

    private void Preallocate(long length, bool createFile)
    {
        if (createFile)
        {
            var preallocation = _config.Preallocation == SegmentPreallocation.Fallocate ? length : 0;
            using var created = File.OpenHandle(LogFile.Path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, FileOptions.None, preallocation);
        }
        SetFileLength(length);
    }

    private void SetFileLength(long length)
    {
        _cache.Invalidate(LogFile);
        using var handle = File.OpenHandle(LogFile.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.SetLength(handle, length);
        _fileLength = length;
    }

    /// <summary>Zeros [frontier, target); called with the zero lock held.</summary>
    private void ZeroUpTo(long target)
    {
        using var lease = _cache.Acquire(LogFile);
        for (var position = _zeroedUpTo; position < target;)
        {
            var chunk = (int)Math.Min(Zeros.Length, target - position);
            RandomAccess.Write(lease.Handle, Zeros.AsSpan(0, chunk), position);
            position += chunk;
        }
        // Synced now so that later flushes overwrite allocated, written blocks: the cheaper kind of fdatasync.
        LibC.DataSync(lease.Handle);
        Volatile.Write(ref _zeroedUpTo, target);
    }
}

/// <summary>A function over a span, so callers can read mapped bytes without copying or capturing.</summary>
public delegate TResult SpanFunc<in TState, out TResult>(ReadOnlySpan<byte> bytes, TState state);

/// <summary>A batch taken by <see cref="LogSegment.AppendDeferred"/>: where it goes and what indexing it needs once written.</summary>
internal readonly record struct DeferredBatch(int Position, int Length, long BaseOffset, long LastOffset, long MaxTimestamp, long NowMs);
