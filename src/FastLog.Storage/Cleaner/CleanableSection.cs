using FastLog.Storage.Segments;

namespace FastLog.Storage.Cleaner;

/// <summary>
/// Kafka's three sections of a compacted log: clean [log start, first dirty), dirty [first dirty, first
/// uncleanable) and uncleanable from there on (the active segment, anything above the high watermark, and
/// segments holding records younger than min.compaction.lag.ms). Sizes are counted in whole segments, as Kafka
/// counts them, so the ratio costs no scan.
/// </summary>
public readonly record struct CleanableSection(long FirstDirtyOffset, long FirstUncleanableOffset, long CleanBytes, long DirtyBytes, long FirstDirtyTimestamp)
{
    /// <summary>dirty / (clean + dirty): what min.cleanable.dirty.ratio is compared with.</summary>
    public double DirtyRatio => CleanBytes + DirtyBytes == 0 ? 0 : (double)DirtyBytes / (CleanBytes + DirtyBytes);

    public bool HasDirtyData => DirtyBytes > 0 && FirstUncleanableOffset > FirstDirtyOffset;

    /// <param name="checkpointedFirstDirty">From the cleaner checkpoint; -1 or anything below the log start means the whole log is dirty.</param>
    public static CleanableSection Of(PartitionLog log, long checkpointedFirstDirty, long nowMs, long minCompactionLagMs)
    {
        var segments = log.Segments;
        var firstDirty = Math.Clamp(checkpointedFirstDirty, log.LogStartOffset, log.LogEndOffset);
        // The active segment is never cleaned; nor is data a follower may still lose (above the high watermark).
        var firstUncleanable = Math.Min(segments[^1].BaseOffset, Math.Max(firstDirty, log.HighWatermark));
        long cleanBytes = 0, dirtyBytes = 0, firstDirtyTimestamp = -1;
        foreach (var segment in segments)
        {
            if (segment.NextOffset <= firstDirty)
            {
                cleanBytes += segment.Size;
                continue;
            }
            if (segment.BaseOffset >= firstUncleanable)
            {
                break;
            }
            if (segment.NextOffset > firstUncleanable)
            {
                // Only whole segments are cleaned: the one holding the high watermark waits.
                firstUncleanable = Math.Max(firstDirty, segment.BaseOffset);
                break;
            }
            if (minCompactionLagMs > 0 && segment.MaxTimestamp > nowMs - minCompactionLagMs)
            {
                firstUncleanable = Math.Max(firstDirty, segment.BaseOffset);
                break;
            }
            if (firstDirtyTimestamp < 0)
            {
                firstDirtyTimestamp = FirstBatchTimestamp(segment, firstDirty);
            }
            dirtyBytes += segment.Size;
        }
        return new CleanableSection(firstDirty, firstUncleanable, cleanBytes, dirtyBytes, firstDirtyTimestamp);
    }

    /// <summary>The max timestamp of the first dirty batch: how long the dirty data has waited (max.compaction.lag.ms).</summary>
    private static long FirstBatchTimestamp(LogSegment segment, long firstDirty) =>
        segment.FindBatch(firstDirty)?.MaxTimestamp ?? segment.MaxTimestamp;
}
