using System.Buffers;
using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Cleaner;

/// <summary>
/// Compacts one log at a time (one instance per cleaner thread; its key map and buffers are reused). A cleaning:
/// 1. takes the dirty section from the first dirty offset up to the first uncleanable one (<see cref="CleanableSection"/>);
/// 2. maps every key of that section to its latest offset, stopping early at a batch boundary when the map is
///    full (the rest waits for the next cleaning);
/// 3. rewrites the log from its start up to where the map stopped, in groups of segments whose cleaned bytes fit
///    one segment, keeping the latest record of each key with its offset (<see cref="BatchFilter"/>);
/// 4. swaps each group's cleaned segment in by rename (<see cref="SegmentSwap"/>).
/// The active segment and everything after the first uncleanable offset are never touched.
/// </summary>
public sealed class LogCleaner(OffsetMap map, Throttler throttler)
{
    private readonly ArrayBufferWriter<byte> _rewritten = new(64 * 1024);
    private long _bytesRead;
    private long _bytesWritten;

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
        // As Kafka stops at the last stable offset: an open transaction's data may still be aborted.
        var transactions = TransactionOutcomes.Scan(log.Segments, section.FirstUncleanableOffset);
        if (transactions.FirstUnstableOffset < section.FirstUncleanableOffset)
        {
            section = section with { FirstUncleanableOffset = Math.Max(section.FirstDirtyOffset, transactions.FirstUnstableOffset) };
            if (!section.HasDirtyData)
            {
                return result;
            }
        }
        _bytesRead = 0;
        _bytesWritten = 0;
        map.Clear(expectedKeys: DirtyRecords(log, section));
        var endOffset = BuildMap(log, section, transactions, cancellation);
        var filter = new BatchFilter(map, settings.NowMs, settings.DeleteRetentionMs, log.ProducerLastOffsets(), transactions);
        var cleaned = true;
        var segments = log.Segments;
        var toClean = segments.Take(segments.Count - 1).TakeWhile(segment => segment.BaseOffset < endOffset).ToList();
        for (var next = 0; next < toClean.Count;)
        {
            cleaned &= CleanGroup(log, toClean, ref next, filter, settings.NowMs, cancellation);
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
    private long BuildMap(PartitionLog log, CleanableSection section, TransactionOutcomes transactions, CancellationToken cancellation)
    {
        var end = section.FirstDirtyOffset;
        var stopped = false;
        foreach (var segment in log.Segments)
        {
            if (stopped || segment.BaseOffset >= section.FirstUncleanableOffset)
            {
                break;
            }
            if (segment.NextOffset <= end)
            {
                continue;
            }
            SegmentBatches.ForEach(segment, (in RecordBatchHeader header, ReadOnlySpan<byte> batch, int position) =>
            {
                if (header.LastOffset < end)
                {
                    return true;
                }
                if (header.NextOffset > section.FirstUncleanableOffset)
                {
                    stopped = true;
                    return false;
                }
                Read(segment, batch, position, cancellation);
                // Only data that is, or will be, read: not markers, not aborted or still open transactions.
                if (!header.IsControl && (!header.IsTransactional || transactions.OutcomeOf(header.ProducerId, header.BaseOffset) == TransactionOutcome.Committed))
                {
                    if (map.Count + header.RecordsCount > map.MaxEntries)
                    {
                        if (map.Count == 0)
                        {
                            throw new InvalidOperationException($"{log.Partition}: a batch of {header.RecordsCount} records does not fit the cleaner's offset map of {map.MaxEntries} keys; raise log.cleaner.dedupe.buffer.size");
                        }
                        stopped = true; // full: clean up to here, the rest next time
                        return false;
                    }
                    PutKeys(batch, header);
                }
                end = header.NextOffset;
                return true;
            });
        }
        return end;
    }

    /// <summary>The records of the dirty section, from the batch headers: the most keys the map can be asked to hold.</summary>
    private static long DirtyRecords(PartitionLog log, CleanableSection section)
    {
        long records = 0;
        foreach (var segment in log.Segments)
        {
            if (segment.BaseOffset >= section.FirstUncleanableOffset)
            {
                break;
            }
            if (segment.NextOffset <= section.FirstDirtyOffset)
            {
                continue;
            }
            SegmentBatches.ForEach(segment, (in RecordBatchHeader header, ReadOnlySpan<byte> _, int _) =>
            {
                if (header.LastOffset >= section.FirstDirtyOffset)
                {
                    records += header.RecordsCount;
                }
                return header.NextOffset < section.FirstUncleanableOffset;
            });
        }
        return records;
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
    /// Cleans the segments from <paramref name="next"/> on into one new segment and swaps it in; moves
    /// <paramref name="next"/> past them. A segment joins while what was written so far plus its whole size still
    /// fits segment.bytes (cleaning only shrinks it) and its offsets fit the 32-bit relative offsets of an index:
    /// Kafka's grouping, but counted on the cleaned bytes, so segments that clean down to little merge at once.
    /// Returns false when the log changed under the cleaning (the new segment is then deleted).
    /// </summary>
    private bool CleanGroup(PartitionLog log, List<LogSegment> segments, ref int next, BatchFilter filter, long nowMs, CancellationToken cancellation)
    {
        var group = new List<LogSegment>();
        var cleaned = LogSegment.CreateWithSuffix(log.Directory, segments[next].BaseOffset, log.Config, log.Files, SegmentSwap.CleanedSuffix);
        try
        {
            RecordBatchHeader? droppedLast = null;
            while (next < segments.Count && (group.Count == 0 || Fits(cleaned, segments[next], log.Config)))
            {
                droppedLast = CopyRetained(segments[next], cleaned, filter, nowMs, cancellation);
                group.Add(segments[next]);
                next++;
            }
            if (droppedLast is { } last)
            {
                // The cleaned segment must end where its group ended, so that recovery knows which segments a swap
                // replaces: a group whose last batch lost every record keeps it, empty.
                _rewritten.ResetWrittenCount();
                BatchFilter.WriteEmpty(last, _rewritten);
                Append(cleaned, _rewritten.WrittenSpan, nowMs, cancellation);
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

    private static bool Fits(LogSegment cleaned, LogSegment segment, LogConfig config) =>
        (long)cleaned.Size + segment.Size <= config.SegmentBytes && segment.NextOffset - 1 - cleaned.BaseOffset <= int.MaxValue;

    /// <summary>Appends the retained records of one segment; returns the header of its last batch if that was dropped.</summary>
    private RecordBatchHeader? CopyRetained(LogSegment segment, LogSegment cleaned, BatchFilter filter, long nowMs, CancellationToken cancellation)
    {
        RecordBatchHeader? droppedLast = null;
        SegmentBatches.ForEach(segment, (in RecordBatchHeader header, ReadOnlySpan<byte> batch, int position) =>
        {
            Read(segment, batch, position, cancellation);
            _rewritten.ResetWrittenCount();
            var outcome = filter.Filter(batch, _rewritten);
            droppedLast = outcome == BatchOutcome.Dropped ? header : null;
            if (outcome != BatchOutcome.Dropped)
            {
                Append(cleaned, outcome == BatchOutcome.Kept ? batch : _rewritten.WrittenSpan, nowMs, cancellation);
            }
            return true;
        });
        return droppedLast;
    }

    private void Append(LogSegment cleaned, ReadOnlySpan<byte> batch, long nowMs, CancellationToken cancellation)
    {
        var header = RecordBatchHeader.Read(batch);
        cleaned.Append(batch, header.BaseOffset, header.LastOffset, header.MaxTimestamp, nowMs);
        _bytesWritten += batch.Length;
        throttler.Take(batch.Length, cancellation);
    }

    /// <summary>
    /// Accounts for a batch read (bytes, I/O limit, cancellation) and checks its CRC: a batch corrupted at rest
    /// stops the cleaning rather than being mapped or copied into a cleaned segment.
    /// </summary>
    private void Read(LogSegment segment, ReadOnlySpan<byte> batch, int position, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        _bytesRead += batch.Length;
        throttler.Take(batch.Length, cancellation);
        var validation = RecordBatchValidator.Validate(batch, requireDenseOffsets: false);
        if (!validation.IsValid)
        {
            throw new CorruptBatchException(segment.LogFile.Path, RecordBatchHeader.ReadBaseOffset(batch), position, validation.Message!);
        }
    }
}
