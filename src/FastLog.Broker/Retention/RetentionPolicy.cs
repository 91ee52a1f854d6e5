using FastLog.Storage;

namespace FastLog.Broker.Retention;

/// <summary>What retention decides for one log at one moment.</summary>
public readonly record struct RetentionDecision(bool RollActive, long NewLogStartOffset, string? Reason);

/// <summary>
/// Kafka's delete retention over whole segments: by age (a segment goes when its largest timestamp is older
/// than retention.ms) and by size (the oldest segments go while the log would still be at least
/// retention.bytes without them). The active segment is rolled first when all its data has expired, so that
/// it can go too; otherwise data still within the limits is never deleted.
/// </summary>
public static class RetentionPolicy
{
    public static RetentionDecision Decide(PartitionLog log, long retentionMs, long retentionBytes, long nowMs)
    {
        var segments = log.Segments;
        var keepFrom = 0;
        string? reason = null;

        if (retentionMs >= 0)
        {
            while (keepFrom < segments.Count && segments[keepFrom].Size > 0 && segments[keepFrom].MaxTimestamp < nowMs - retentionMs)
            {
                keepFrom++;
            }
            if (keepFrom > 0)
            {
                reason = $"older than retention.ms={retentionMs}";
            }
        }

        if (retentionBytes >= 0)
        {
            var size = segments.Skip(keepFrom).Sum(s => (long)s.Size);
            var bySize = keepFrom;
            while (bySize < segments.Count - 1 && size - segments[bySize].Size >= retentionBytes)
            {
                size -= segments[bySize].Size;
                bySize++;
            }
            if (bySize > keepFrom)
            {
                keepFrom = bySize;
                reason = $"beyond retention.bytes={retentionBytes}";
            }
        }

        if (keepFrom == 0)
        {
            return new RetentionDecision(false, log.LogStartOffset, null);
        }
        if (keepFrom == segments.Count)
        {
            // Every segment expired, the active one included: roll it so the data can go, keep the new empty one.
            return new RetentionDecision(true, log.LogEndOffset, reason);
        }
        return new RetentionDecision(false, Math.Max(log.LogStartOffset, segments[keepFrom].BaseOffset), reason);
    }

    /// <summary>segment.ms for idle partitions: the active segment rolls once it is older, even without appends.</summary>
    public static bool ShouldRollIdle(PartitionLog log, long segmentMs, long nowMs)
    {
        var active = log.ActiveSegment;
        return active.Size > 0 && active.FirstAppendMs >= 0 && nowMs - active.FirstAppendMs >= segmentMs;
    }
}
