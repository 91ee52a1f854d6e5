using System.Buffers;
using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Cleaner;

/// <summary>
/// Compacts one log at a time (one instance per cleaner thread; its key map and buffers are reused). A cleaning:
/// 1. takes the dirty section from the first dirty offset up to the first uncleanable one (<see cref="CleanableSection"/>);
/// 2. maps every key of that section to its latest offset, stopping early at a batch boundary when the map is
///    full (the rest waits for the next cleaning);
/// 3. rewrites the log from its start up to where the map stopped, in groups of segments that fit one segment,
///    keeping the latest record of each key with its offset (<see cref="BatchFilter"/>);
/// 4. swaps each group's cleaned segment in by rename (<see cref="SegmentSwap"/>).
/// The active segment and everything after the first uncleanable offset are never touched.
/// </summary>
public sealed class LogCleaner(OffsetMap map, Throttler throttler)
{
    private const int HeaderPeekBytes = RecordBatchLayout.LogOverhead;

    private readonly ArrayBufferWriter<byte> _rewritten = new(64 * 1024);
    private byte[] _batch = new byte[64 * 1024];
    private long _bytesRead;
    private long _bytesWritten;

    public OffsetMap Map => map;

    /// <param name="firstDirtyOffset">From the cleaner checkpoint (-1: the whole log is dirty).</param>
    public CleanResult Clean(PartitionLog log, long firstDirtyOffset, CompactionSettings settings, CancellationToken cancellation = default)
    {
        var section = CleanableSection.Of(log, firstDirtyOffset, settings.NowMs, settings.MinCompactionLagMs);
        var segmentsBefore = log.Segments.Count;
        var result = new CleanResult
        {
            Partition = log.Partition,
            FirstDirtyOffset = section.FirstDirtyOffset,
            EndOffset = section.FirstDirtyOffset,
            DirtyRatio = section.DirtyRatio,
            SegmentsBefore = segmentsBefore,
            SegmentsAfter = segmentsBefore,
        };
        if (!section.HasDirtyData)
        {
            return result;
        }
        _bytesRead = 0;
        _bytesWritten = 0;
        map.Clear();
        var endOffset = BuildMap(log, section, cancellation);
        var filter = new BatchFilter(map, settings.NowMs, settings.DeleteRetentionMs);
        var cleaned = true;
        foreach (var group in Groups(log, endOffset))
        {
            cleaned &= CleanGroup(log, group, filter, settings.NowMs, cancellation);
        }
        return result with
        {
            EndOffset = endOffset,
            BytesRead = _bytesRead,
            BytesWritten = _bytesWritten,
            RecordsRead = filter.RecordsRead,
            RecordsRemoved = filter.RecordsRemoved,
            SegmentsAfter = log.Segments.Count,
            Cleaned = cleaned,
        };
    }

    /// <summary>Puts the keys of the dirty section into the map; returns the first offset not mapped.</summary>
    private long BuildMap(PartitionLog log, CleanableSection section, CancellationToken cancellation)
    {
        var end = section.FirstDirtyOffset;
        foreach (var segment in log.Segments)
        {
            if (segment.NextOffset <= end)
            {
                continue;
            }
            if (segment.BaseOffset >= section.FirstUncleanableOffset)
            {
                break;
            }
            for (var position = 0; position < segment.Size;)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = ReadBatch(segment, position);
                var header = RecordBatchHeader.Read(batch);
                position += header.TotalSize;
                if (header.LastOffset < end)
                {
                    continue;
                }
                if (header.NextOffset > section.FirstUncleanableOffset)
                {
                    return end;
                }
                if (!header.IsControl && !header.IsTransactional)
                {
                    if (map.Count + header.RecordsCount > map.MaxEntries)
                    {
                        if (map.Count == 0)
                        {
                            throw new InvalidOperationException($"{log.Partition}: a batch of {header.RecordsCount} records does not fit the cleaner's offset map of {map.MaxEntries} keys; raise log.cleaner.dedupe.buffer.size");
                        }
                        return end; // full: clean up to here, the rest next time
                    }
                    PutKeys(batch, header);
                }
                end = header.NextOffset;
            }
        }
        return end;
    }

    private void PutKeys(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        var section = header.Compression == CompressionType.None
            ? batch[RecordBatchLayout.Records..header.TotalSize]
            : RecordBatchReader.RecordsSection(batch).Span;
        var reader = new RecordReader(section);
        while (reader.TryRead(out var record))
        {
            if (record.HasKey)
            {
                map.Put(record.Key, header.BaseOffset + record.OffsetDelta);
            }
        }
    }

    /// <summary>
    /// Runs of consecutive segments below <paramref name="endOffset"/> whose bytes together fit one segment
    /// (cleaning only shrinks them) and whose offsets fit a segment's 32-bit relative offsets, as Kafka groups them.
    /// </summary>
    private static List<List<LogSegment>> Groups(PartitionLog log, long endOffset)
    {
        var segments = log.Segments;
        var groups = new List<List<LogSegment>>();
        List<LogSegment>? current = null;
        long bytes = 0;
        for (var i = 0; i < segments.Count - 1 && segments[i].BaseOffset < endOffset; i++)
        {
            var segment = segments[i];
            if (current is null || bytes + segment.Size > log.Config.SegmentBytes || segment.NextOffset - 1 - current[0].BaseOffset > int.MaxValue)
            {
                current = [];
                groups.Add(current);
                bytes = 0;
            }
            current.Add(segment);
            bytes += segment.Size;
        }
        return groups;
    }

    /// <summary>Writes one group's cleaned segment and swaps it in; false when the log changed meanwhile.</summary>
    private bool CleanGroup(PartitionLog log, List<LogSegment> group, BatchFilter filter, long nowMs, CancellationToken cancellation)
    {
        var groupNext = group[^1].NextOffset;
        var cleaned = LogSegment.CreateWithSuffix(log.Directory, group[0].BaseOffset, log.Config, log.Files, SegmentSwap.CleanedSuffix);
        try
        {
            foreach (var segment in group)
            {
                for (var position = 0; position < segment.Size;)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var batch = ReadBatch(segment, position);
                    var header = RecordBatchHeader.Read(batch);
                    position += header.TotalSize;
                    _rewritten.ResetWrittenCount();
                    // The group's last batch stays, emptied if need be: the cleaned segment must end where the group
                    // ended, so that recovery knows which segments a swap replaces.
                    var outcome = filter.Filter(batch, keepEmpty: header.NextOffset == groupNext, _rewritten);
                    var kept = outcome switch
                    {
                        BatchOutcome.Kept => batch,
                        BatchOutcome.Rewritten => _rewritten.WrittenSpan,
                        _ => [],
                    };
                    if (!kept.IsEmpty)
                    {
                        var keptHeader = RecordBatchHeader.Read(kept);
                        cleaned.Append(kept, keptHeader.BaseOffset, keptHeader.LastOffset, keptHeader.MaxTimestamp, nowMs);
                        _bytesWritten += kept.Length;
                        throttler.Take(kept.Length, cancellation);
                    }
                }
            }
            cleaned.Trim();
            cleaned.Flush(includeIndexes: true);
            if (log.ReplaceSegments(group, cleaned))
            {
                return true;
            }
        }
        catch
        {
            cleaned.Delete();
            throw;
        }
        cleaned.Delete();
        return false;
    }

    /// <summary>
    /// Copies the batch at <paramref name="position"/> into the reusable buffer and checks its CRC: a batch
    /// corrupted at rest stops the cleaning rather than being copied into a cleaned segment.
    /// </summary>
    private ReadOnlySpan<byte> ReadBatch(LogSegment segment, int position)
    {
        Span<byte> peek = stackalloc byte[HeaderPeekBytes];
        segment.CopyBytes(position, peek);
        var total = (long)RecordBatchHeader.ReadBatchLength(peek) + RecordBatchLayout.LogOverhead;
        if (total < RecordBatchLayout.HeaderSize || position + total > segment.Size)
        {
            throw new CorruptBatchException(segment.LogFile.Path, RecordBatchHeader.ReadBaseOffset(peek), position, $"batch length {total} does not fit the segment");
        }
        if (_batch.Length < total)
        {
            _batch = new byte[Math.Max(total, _batch.Length * 2L)];
        }
        var batch = _batch.AsSpan(0, (int)total);
        segment.CopyBytes(position, batch);
        _bytesRead += total;
        throttler.Take(total, CancellationToken.None);
        var validation = RecordBatchValidator.Validate(batch, requireDenseOffsets: false);
        if (!validation.IsValid)
        {
            throw new CorruptBatchException(segment.LogFile.Path, validation.Header.BaseOffset, position, validation.Message!);
        }
        return batch;
    }
}
