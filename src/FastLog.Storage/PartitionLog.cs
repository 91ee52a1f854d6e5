using FastLog.Protocol.Records;
using FastLog.Storage.Cleaner;
using FastLog.Storage.Files;
using FastLog.Storage.Producers;
using FastLog.Storage.Segments;

namespace FastLog.Storage;

/// <summary>
/// The log of one partition: an ordered list of segments, the last one active. One writer at a time appends,
/// truncates or deletes (callers serialise writes; the append pipeline gives each partition one writer);
/// readers run concurrently against an immutable snapshot of the segment list. The state of idempotent
/// producers is checked and updated under the same write lock as the append it decides.
/// </summary>
public sealed class PartitionLog
{
    private readonly FileCache _cache;
    private readonly TimeProvider _time;
    private readonly Lock _writeLock = new();
    private readonly ProducerStateManager _producers;
    private LogSegment[] _segments;
    private long _logStartOffset;
    private long _recoveryPoint;
    private long _highWatermark;
    private bool _deferredLost;

    private PartitionLog(TopicPartition partition, string directory, LogConfig config, FileCache cache, TimeProvider time, LogSegment[] segments, long logStartOffset, long recoveryPoint)
    {
        Partition = partition;
        Directory = directory;
        Config = config;
        _cache = cache;
        _time = time;
        _segments = segments;
        _logStartOffset = logStartOffset;
        _recoveryPoint = recoveryPoint;
        _producers = new ProducerStateManager(directory, config.ProducerIdExpirationMs);
    }

    public TopicPartition Partition { get; }
    public string Directory { get; }
    /// <summary>Settings for what comes next: segments created after a change use the new values.</summary>
    public LogConfig Config { get; private set; }

    public void UpdateConfig(LogConfig config)
    {
        config.Validate();
        lock (_writeLock)
        {
            Config = config;
        }
    }

    public IReadOnlyList<LogSegment> Segments => Volatile.Read(ref _segments);
    public LogSegment ActiveSegment => Volatile.Read(ref _segments)[^1];

    /// <summary>The offset the next appended record gets (LEO).</summary>
    public long LogEndOffset => ActiveSegment.NextOffset;

    public long LogStartOffset => Volatile.Read(ref _logStartOffset);

    /// <summary>Everything below this offset is known to be on disk; recovery starts here.</summary>
    public long RecoveryPoint => Volatile.Read(ref _recoveryPoint);

    /// <summary>Set by the broker (replication decides it); checkpointed with the log, never past the LEO.</summary>
    public long HighWatermark
    {
        get => Volatile.Read(ref _highWatermark);
        set => Volatile.Write(ref _highWatermark, Math.Clamp(value, LogStartOffset, LogEndOffset));
    }

    public long SizeInBytes => Segments.Sum(s => (long)s.Size);

    /// <summary>The open-files cache this log's segments go through (the cleaner writes its segments with it).</summary>
    internal FileCache Files => _cache;

    /// <summary>
    /// Each idempotent producer's last appended offset, read under the write lock: the cleaner keeps those batches
    /// (emptied if need be) so that the producer's state can be rebuilt from the log, as Kafka does.
    /// </summary>
    public Dictionary<long, long> ProducerLastOffsets()
    {
        lock (_writeLock)
        {
            return _producers.Producers.ToDictionary(p => p.ProducerId, p => p.LastOffset);
        }
    }

    /// <summary>The producer state of this partition; read it only while no append runs (tests, tools).</summary>
    public ProducerStateManager ProducerState => _producers;

    /// <summary>Creates an empty log in a new folder.</summary>
    public static PartitionLog Create(TopicPartition partition, string dataDir, LogConfig config, FileCache cache, TimeProvider? time = null)
    {
        config.Validate();
        var directory = Path.Combine(dataDir, partition.DirectoryName);
        System.IO.Directory.CreateDirectory(directory);
        var segment = LogSegment.Create(directory, 0, config, cache);
        return new PartitionLog(partition, directory, config, cache, time ?? TimeProvider.System, [segment], 0, 0);
    }

    /// <summary>
    /// Opens an existing log folder. After a clean shutdown the trimmed files are trusted; otherwise every
    /// segment from the one holding the recovery point on is validated and cut at the first bad batch.
    /// </summary>
    public static PartitionLog Open(TopicPartition partition, string directory, LogConfig config, FileCache cache, LogOpenOptions options)
    {
        config.Validate();
        var time = options.Time ?? TimeProvider.System;
        var swappedIn = SegmentSwap.CompleteInterrupted(directory, options.Log);
        var baseOffsets = System.IO.Directory.EnumerateFiles(directory, "*" + SegmentFileNames.LogSuffix)
            .Select(f => SegmentFileNames.ParseBaseOffset(Path.GetFileName(f), SegmentFileNames.LogSuffix))
            .OfType<long>()
            .Order()
            .ToList();
        RemoveOrphanIndexes(directory, baseOffsets);

        if (baseOffsets.Count == 0)
        {
            var fresh = LogSegment.Create(directory, options.LogStartOffset, config, cache);
            var empty = new PartitionLog(partition, directory, config, cache, time, [fresh], options.LogStartOffset, options.LogStartOffset);
            empty._producers.Rebuild(empty._segments, options.LogStartOffset, empty.NowMs, options.Log);
            return empty;
        }

        var segments = baseOffsets.Select(b => LogSegment.Open(directory, b, config, cache)).ToList();
        var recoveryPoint = options.RecoveryPoint;
        var firstToRecover = options.CleanShutdown ? segments.Count : SegmentHolding(segments, recoveryPoint);

        var expectedNext = 0L;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (i < firstToRecover && !swappedIn.Contains(segment.BaseOffset) && segment.TryLoadClean())
            {
                expectedNext = segment.NextOffset;
                continue;
            }

            var recovery = segment.Recover(expectedNext);
            if (recovery.Truncated)
            {
                options.Log?.Invoke($"{partition}: segment {SegmentFileNames.BaseName(segment.BaseOffset)} cut at position {recovery.CutPosition} (offset {recovery.NextOffset}): {recovery.CutReason}");
                // Everything after a cut is unreachable: later segments would leave a gap in the offsets.
                for (var j = segments.Count - 1; j > i; j--)
                {
                    options.Log?.Invoke($"{partition}: segment {SegmentFileNames.BaseName(segments[j].BaseOffset)} deleted, it follows the cut");
                    segments[j].Delete();
                    segments.RemoveAt(j);
                }
            }
            if (i < segments.Count - 1)
            {
                segment.Trim(); // a recovered older segment is closed again, its indexes cut to their entries
            }
            expectedNext = recovery.NextOffset;
            firstToRecover = Math.Min(firstToRecover, i);
        }

        // An empty segment in the middle (a crash right after a roll) would only confuse lookups.
        for (var i = segments.Count - 2; i >= 0; i--)
        {
            if (segments[i].Size == 0)
            {
                segments[i].Delete();
                segments.RemoveAt(i);
            }
        }

        var active = segments[^1];
        active.Reactivate();
        var logEnd = active.NextOffset;
        var logStart = Math.Clamp(options.LogStartOffset, segments[0].BaseOffset, logEnd);
        var log = new PartitionLog(partition, directory, config, cache, time, [.. segments], logStart, Math.Min(recoveryPoint, logEnd));
        if (options.CleanShutdown)
        {
            log._recoveryPoint = logEnd;
        }
        log._highWatermark = Math.Clamp(options.HighWatermark, logStart, logEnd);
        log._producers.Rebuild(log._segments, logEnd, log.NowMs, options.Log);
        return log;
    }

    /// <summary>
    /// Appends one validated batch: assigns its offsets (rewriting baseOffset and partitionLeaderEpoch, which
    /// the CRC does not cover) and returns its base offset. Rolls first when the active segment is full or old.
    /// A batch with a producer id is checked against that producer's state first, atomically with the append
    /// (two connections may race with the same retry): a retry of a recent batch is answered with the
    /// original's offset without being written, and a fenced epoch or a sequence gap is refused.
    /// </summary>
    public AppendResult TryAppend(Span<byte> batch, int leaderEpoch = -1)
    {
        lock (_writeLock)
        {
            WriteDeferredLocked();
            return AppendLocked(batch, default, defer: false, leaderEpoch);
        }
    }

    /// <summary>
    /// <see cref="TryAppend"/> without the write: offsets, producer state and the log end move now, the bytes
    /// are written by <see cref="WriteDeferred"/> with one gathering write for all the batches taken since (a
    /// device writer's pass), and readers see them only then. <paramref name="batch"/> must stay unchanged
    /// until then. Any other change to the log (a flush, a roll, a truncation) writes them first.
    /// </summary>
    public AppendResult TryAppendDeferred(Memory<byte> batch, int leaderEpoch = -1)
    {
        lock (_writeLock)
        {
            return AppendLocked(batch.Span, batch, defer: true, leaderEpoch);
        }
    }

    /// <summary>
    /// Writes the batches <see cref="TryAppendDeferred"/> took. Throws <see cref="IOException"/> when they could
    /// not be written, now or by an earlier change that wrote them first: then none of them is in the log (the
    /// log end and the producer state are back to before them) and none may be acknowledged.
    /// </summary>
    public void WriteDeferred()
    {
        lock (_writeLock)
        {
            if (_deferredLost)
            {
                // An earlier write of this pass's batches failed; those taken after it go too, so that the
                // whole pass of this partition fails alike and a retry finds none of it in the log.
                _deferredLost = false;
                ActiveSegment.DiscardDeferred();
                _producers.Undo();
                throw new IOException($"{Partition}: a write of deferred batches failed; they are not in the log");
            }
            try
            {
                WriteDeferredLocked();
            }
            finally
            {
                _deferredLost = false;
            }
        }
    }

    /// <summary>Writes deferred batches first; on failure drops them, puts the producer state back to before them, and remembers it for <see cref="WriteDeferred"/>.</summary>
    private void WriteDeferredLocked()
    {
        var active = ActiveSegment;
        if (!active.HasDeferred)
        {
            return;
        }
        try
        {
            active.WriteDeferred(); // drops them itself when the write fails
        }
        catch
        {
            _deferredLost = true;
            // The producer state took the dropped batches' sequences; it goes back without touching the disk,
            // which has just failed.
            _producers.Undo();
            throw;
        }
        _producers.CommitUndoable();
    }

    private AppendResult AppendLocked(Span<byte> batch, ReadOnlyMemory<byte> deferredBytes, bool defer, int leaderEpoch)
    {
        var header = RecordBatchHeader.Read(batch);
        var idempotent = header.ProducerId >= 0 && !header.IsControl;
        if (idempotent && _producers.Check(header) is { } answer)
        {
            return answer;
        }
        var baseOffset = LogEndOffset;
        var lastOffset = baseOffset + header.LastOffsetDelta;
        var now = NowMs;
        var active = ActiveSegment;
        if (active.IsFullFor(batch.Length, lastOffset, now))
        {
            active = Roll(baseOffset);
        }
        RecordBatchHeader.AssignOffsets(batch, baseOffset, leaderEpoch);
        var maxTimestamp = header.IsLogAppendTime ? header.MaxTimestamp : Math.Max(header.MaxTimestamp, header.BaseTimestamp);
        if (defer)
        {
            active.AppendDeferred(deferredBytes, baseOffset, lastOffset, maxTimestamp, now);
        }
        else
        {
            active.Append(batch, baseOffset, lastOffset, maxTimestamp, now);
        }
        if (idempotent)
        {
            var timestamp = header.IsLogAppendTime ? header.MaxTimestamp : now;
            if (defer)
            {
                _producers.UpdateUndoable(header, baseOffset, timestamp);
            }
            else
            {
                _producers.Update(header, baseOffset, timestamp);
            }
        }
        return AppendResult.Appended(baseOffset);
    }

    /// <summary>
    /// <see cref="TryAppend"/> for callers that expect every batch to be written: returns the base offset (a
    /// duplicate's original one) and throws when the producer state refuses the batch.
    /// </summary>
    public long Append(Span<byte> batch, int leaderEpoch = -1)
    {
        var result = TryAppend(batch, leaderEpoch);
        return result.IsSuccess
            ? result.BaseOffset
            : throw new InvalidOperationException($"{Partition}: batch of producer {RecordBatchHeader.Read(batch).ProducerId} refused: {result.Status}");
    }

    /// <summary>
    /// Batches from the one holding <paramref name="offset"/>, up to <paramref name="maxBytes"/>, as a region of
    /// one segment (a fetch of several segments takes several reads). Empty at the end of the log.
    /// </summary>
    public FileRegion Read(long offset, int maxBytes, bool minOneBatch = true, long? maxOffsetExclusive = null)
    {
        var limit = maxOffsetExclusive ?? long.MaxValue;
        var segments = Volatile.Read(ref _segments);
        if (offset < LogStartOffset || offset > segments[^1].NextOffset)
        {
            throw new OffsetOutOfRangeException(Partition, offset, LogStartOffset, segments[^1].NextOffset);
        }
        for (var i = SegmentHolding(segments, offset); i < segments.Length; i++)
        {
            var region = segments[i].Read(offset, maxBytes, minOneBatch, limit);
            if (!region.IsEmpty || segments[i].NextOffset > offset)
            {
                return region;
            }
        }
        return FileRegion.Empty;
    }

    /// <summary>
    /// The first offset whose record timestamp is at or after <paramref name="timestamp"/> (ListOffsets by time),
    /// with that record's timestamp; null when every record is older.
    /// </summary>
    public (long Offset, long Timestamp)? OffsetForTimestamp(long timestamp)
    {
        var segments = Volatile.Read(ref _segments);
        Span<byte> lengthField = stackalloc byte[RecordBatchLayout.LogOverhead];
        foreach (var segment in segments)
        {
            if (segment.MaxTimestamp < timestamp || segment.FindBatchByTimestamp(timestamp) is not { } batch)
            {
                continue;
            }
            // Usually the first batch found answers. One the cleaner emptied keeps its max timestamp but holds no
            // record, so the walk goes on through the segment's later batches.
            var size = segment.Size;
            for (var position = batch.Position; position + RecordBatchLayout.HeaderSize <= size;)
            {
                segment.CopyBytes(position, lengthField);
                var bytes = new byte[RecordBatchHeader.ReadBatchLength(lengthField) + RecordBatchLayout.LogOverhead];
                segment.CopyBytes(position, bytes);
                foreach (var record in RecordBatchReader.ReadRecords(bytes))
                {
                    if (record.Timestamp >= timestamp && record.Offset >= LogStartOffset)
                    {
                        return (record.Offset, record.Timestamp);
                    }
                }
                position += bytes.Length;
            }
        }
        return null;
    }

    /// <summary>Makes everything appended so far durable and moves the recovery point to the log end.</summary>
    /// <param name="includeActiveIndexes">Also sync the active segment's indexes (clean shutdown trusts them).</param>
    /// <returns>The log end offset that is now durable.</returns>
    public long Flush(bool includeActiveIndexes = false)
    {
        LogSegment[] segments;
        long end;
        lock (_writeLock)
        {
            WriteDeferredLocked();
            segments = _segments;
            end = LogEndOffset;
        }
        var recoveryPoint = RecoveryPoint;
        foreach (var segment in segments)
        {
            if (segment.NextOffset > recoveryPoint || segment == segments[^1])
            {
                segment.Flush(includeIndexes: includeActiveIndexes || segment != segments[^1]);
            }
        }
        AtomicMax.Raise(ref _recoveryPoint, end);
        return end;
    }

    /// <summary>Removes every record at or above <paramref name="offset"/> (a follower diverging from its leader).</summary>
    public void TruncateTo(long offset)
    {
        lock (_writeLock)
        {
            WriteDeferredLocked();
            if (offset >= LogEndOffset)
            {
                return;
            }
            var segments = _segments.ToList();
            while (segments.Count > 1 && segments[^1].BaseOffset >= offset)
            {
                segments[^1].Delete();
                segments.RemoveAt(segments.Count - 1);
            }
            if (segments[^1].BaseOffset >= offset)
            {
                // The whole log goes: start over with an empty segment at the truncation offset.
                segments[0].Delete();
                segments[0] = LogSegment.Create(Directory, offset, Config, _cache);
            }
            else
            {
                segments[^1].TruncateTo(offset);
                segments[^1].Reactivate();
            }
            Volatile.Write(ref _segments, [.. segments]);
            Volatile.Write(ref _recoveryPoint, Math.Min(_recoveryPoint, LogEndOffset));
            Volatile.Write(ref _highWatermark, Math.Min(_highWatermark, LogEndOffset));
            Volatile.Write(ref _logStartOffset, Math.Min(_logStartOffset, LogEndOffset));
            // As Kafka does: the state above the cut is unknown, so it is rebuilt from the newest snapshot at
            // or below the new log end (those above it are deleted) and the log after that snapshot.
            _producers.Rebuild(_segments, LogEndOffset, NowMs, log: null);
        }
    }

    /// <summary>
    /// Moves the log start offset forward (DeleteRecords, retention) and deletes the segments wholly below it.
    /// Returns the number of segments deleted. The active segment is kept even when it is emptied by this.
    /// </summary>
    public int IncreaseLogStartOffset(long newLogStartOffset)
    {
        lock (_writeLock)
        {
            WriteDeferredLocked();
            if (newLogStartOffset <= _logStartOffset)
            {
                return 0;
            }
            if (newLogStartOffset > LogEndOffset)
            {
                throw new OffsetOutOfRangeException(Partition, newLogStartOffset, _logStartOffset, LogEndOffset);
            }
            Volatile.Write(ref _logStartOffset, newLogStartOffset);
            var segments = _segments.ToList();
            var deleted = 0;
            while (segments.Count > 1 && segments[1].BaseOffset <= newLogStartOffset)
            {
                segments[0].DeleteAfter(TimeSpan.FromMilliseconds(Config.FileDeleteDelayMs));
                segments.RemoveAt(0);
                deleted++;
            }
            if (deleted > 0)
            {
                Volatile.Write(ref _segments, [.. segments]);
                // Producer state is kept (Kafka does too): a producer whose batches were deleted may still retry.
                _producers.OnSegmentsDeleted(segments[0].BaseOffset, LogEndOffset, NowMs);
            }
            return deleted;
        }
    }

    /// <summary>
    /// Puts a segment the cleaner wrote (files ending in ".cleaned", trimmed and flushed) in the place of the run
    /// of segments it was made from, in the steps <see cref="SegmentSwap"/> describes. Returns false, changing
    /// nothing in the log, when that run is no longer in it (retention or a truncation got there first); the
    /// caller then deletes the cleaned segment. The old segments stay readable for file.delete.delay.ms.
    /// The folder's fsyncs (milliseconds each) are made outside the write lock, so appends do not wait for them.
    /// </summary>
    public bool ReplaceSegments(IReadOnlyList<LogSegment> replaced, LogSegment cleaned)
    {
        if (cleaned.BaseOffset != replaced[0].BaseOffset || !IsRunOfSegments(Volatile.Read(ref _segments), replaced, out _))
        {
            return false;
        }
        // Complete from here on: a crash now makes the next open finish the swap. Should the log change before the
        // lock is taken, that would only bring back records below the log start offset, which stay hidden.
        cleaned.RenameFiles(SegmentSwap.CleanedSuffix, SegmentSwap.SwapSuffix);
        LibC.SyncDirectory(Directory);
        lock (_writeLock)
        {
            var segments = _segments;
            if (!IsRunOfSegments(segments, replaced, out var first))
            {
                return false;
            }
            Volatile.Write(ref _segments, [.. segments[..first], cleaned, .. segments[(first + replaced.Count)..]]);
            foreach (var old in replaced)
            {
                old.DeleteAfter(TimeSpan.FromMilliseconds(Config.FileDeleteDelayMs));
            }
            // No fsync between these renames: the file system journals them in order, and a crash after either
            // leaves a ".swap" that the next open completes.
            cleaned.RenameFiles(SegmentSwap.SwapSuffix, "");
        }
        LibC.SyncDirectory(Directory);
        return true;
    }

    /// <summary>Whether <paramref name="run"/> lies in <paramref name="segments"/>, in order and before the active segment.</summary>
    private static bool IsRunOfSegments(LogSegment[] segments, IReadOnlyList<LogSegment> run, out int first)
    {
        first = Array.IndexOf(segments, run[0]);
        if (first < 0 || first + run.Count >= segments.Length)
        {
            return false;
        }
        for (var i = 1; i < run.Count; i++)
        {
            if (!ReferenceEquals(segments[first + i], run[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Rolls the active segment now (segment.bytes and segment.ms do it on append).</summary>
    public LogSegment Roll()
    {
        lock (_writeLock)
        {
            return Roll(LogEndOffset);
        }
    }

    /// <summary>Clean shutdown: trim the active segment so the next open trusts file sizes, then flush.</summary>
    public void Close()
    {
        lock (_writeLock)
        {
            WriteDeferredLocked();
            ActiveSegment.Trim();
            _producers.TakeSnapshot(LogEndOffset, NowMs, durable: true);
            Flush(includeActiveIndexes: true);
        }
    }

    /// <summary>
    /// The first half of a shutdown whose flush is done for many logs at once (syncfs): trims the active
    /// segment. <see cref="MarkFlushed"/> completes it once the file system is synced.
    /// </summary>
    public void TrimForClose()
    {
        lock (_writeLock)
        {
            WriteDeferredLocked();
            ActiveSegment.Trim();
            // Not synced here: the file-system-wide sync that completes the shutdown covers it.
            _producers.TakeSnapshot(LogEndOffset, NowMs, durable: false);
        }
    }

    /// <summary>Records that everything up to the log end is durable (after a file-system-wide sync).</summary>
    public void MarkFlushed()
    {
        lock (_writeLock)
        {
            WriteDeferredLocked();
            foreach (var segment in _segments)
            {
                segment.MarkFlushed();
            }
            AtomicMax.Raise(ref _recoveryPoint, LogEndOffset);
        }
    }

    private LogSegment Roll(long nextOffset)
    {
        WriteDeferredLocked(); // the rolled segment is flushed and trimmed with them in it
        var old = ActiveSegment;
        if (old.Size == 0)
        {
            return old;
        }
        // The rolled segment is flushed and trimmed before the new one exists, so recovery never finds
        // a full, untrimmed segment in the middle of the log.
        old.Flush();
        old.Trim();
        var created = LogSegment.Create(Directory, nextOffset, Config, _cache);
        Volatile.Write(ref _segments, [.. _segments, created]);
        AtomicMax.Raise(ref _recoveryPoint, nextOffset);
        // A snapshot per roll bounds what a crash makes recovery replay to the active segment.
        _producers.TakeSnapshot(nextOffset, NowMs, durable: true);
        return created;
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static int SegmentHolding(IReadOnlyList<LogSegment> segments, long offset)
    {
        var low = 0;
        var high = segments.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (segments[middle].BaseOffset <= offset)
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

    private static void RemoveOrphanIndexes(string directory, List<long> baseOffsets)
    {
        // Segments retention renamed but did not get to remove before a stop.
        foreach (var leftover in System.IO.Directory.EnumerateFiles(directory, "*" + LogSegment.DeletedSuffix))
        {
            File.Delete(leftover);
        }
        var known = baseOffsets.ToHashSet();
        foreach (var file in System.IO.Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(file);
            var offset = SegmentFileNames.ParseBaseOffset(name, SegmentFileNames.IndexSuffix)
                ?? SegmentFileNames.ParseBaseOffset(name, SegmentFileNames.TimeIndexSuffix);
            if (offset is { } o && !known.Contains(o))
            {
                File.Delete(file);
            }
        }
    }
}

/// <summary>What a log needs to know at open, from the data dir's checkpoints.</summary>
public sealed record LogOpenOptions
{
    public bool CleanShutdown { get; init; }
    public long RecoveryPoint { get; init; }
    public long LogStartOffset { get; init; }
    public long HighWatermark { get; init; }
    public TimeProvider? Time { get; init; }

    /// <summary>Receives one line per recovery action (what was cut, and why).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>An offset outside [log start, log end]: Kafka's OFFSET_OUT_OF_RANGE.</summary>
public sealed class OffsetOutOfRangeException(TopicPartition partition, long offset, long logStartOffset, long logEndOffset)
    : Exception($"offset {offset} is out of range for {partition}: log holds [{logStartOffset}, {logEndOffset})")
{
    public long Offset { get; } = offset;
    public long LogStartOffset { get; } = logStartOffset;
    public long LogEndOffset { get; } = logEndOffset;
}
