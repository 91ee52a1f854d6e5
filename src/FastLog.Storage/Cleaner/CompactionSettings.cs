namespace FastLog.Storage.Cleaner;

/// <summary>The topic configs one cleaning of one log follows, and the time it runs at.</summary>
public sealed record CompactionSettings
{
    /// <summary>delete.retention.ms: how long a cleaned tombstone stays readable.</summary>
    public long DeleteRetentionMs { get; init; } = 24L * 60 * 60 * 1000;

    /// <summary>min.compaction.lag.ms: segments with records younger than this are not cleaned yet.</summary>
    public long MinCompactionLagMs { get; init; }

    public long NowMs { get; init; }
}
