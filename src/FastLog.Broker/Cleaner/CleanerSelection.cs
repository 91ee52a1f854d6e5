using FastLog.Storage.Cleaner;

namespace FastLog.Broker.Cleaner;

/// <summary>Kafka's choice of the log to clean next (LogCleanerManager.grabFilthiestCompactedLog), one log at a time.</summary>
public static class CleanerSelection
{
    /// <summary>
    /// How urgently a log needs cleaning, or null when it does not: its dirty ratio when that exceeds
    /// min.cleanable.dirty.ratio (strictly, as in Kafka); above every ratio (1 + ratio) when its oldest dirty
    /// record has waited longer than max.compaction.lag.ms, since that lag is a promise.
    /// </summary>
    public static double? Rank(CleanableSection section, double minCleanableDirtyRatio, long maxCompactionLagMs, long nowMs)
    {
        if (!section.HasDirtyData)
        {
            return null;
        }
        var overdue = section.FirstDirtyTimestamp >= 0 && nowMs - section.FirstDirtyTimestamp > maxCompactionLagMs;
        if (overdue)
        {
            return 1 + section.DirtyRatio;
        }
        return section.DirtyRatio > minCleanableDirtyRatio ? section.DirtyRatio : null;
    }
}
