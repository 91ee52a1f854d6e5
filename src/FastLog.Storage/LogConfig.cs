namespace FastLog.Storage;

/// <summary>How a new segment file's blocks are made ready before appends land in them.</summary>
public enum SegmentPreallocation
{
    /// <summary>A sparse file: blocks are allocated by the writes themselves.</summary>
    None,

    /// <summary>fallocate: blocks reserved but unwritten, so the first flush still converts extents.</summary>
    Fallocate,

    /// <summary>
    /// Zeros written and synced a chunk ahead of the appends, inline, so flushes overwrite allocated, written
    /// blocks; the append that crosses a chunk pays for the chunk's write and fdatasync.
    /// </summary>
    ZeroAhead,

    /// <summary>
    /// Zeros written and synced ahead of the appends by a background thread per data directory
    /// (<see cref="Segments.SegmentPreparer"/>), a window of <see cref="LogConfig.PrepareAheadBytes"/>; appends
    /// zero inline only when they overtake it. While the disk has bandwidth to spare, appends and flushes run as
    /// on a pre-zeroed file; under sustained writes at the disk's limit the zeros compete with them.
    /// </summary>
    Prepared,
}

/// <summary>When appended batches are flushed (fdatasync) relative to the acknowledgement of their produce request.</summary>
public enum LogFlushPolicy
{
    /// <summary>Every pass of the device's writer ends with a flush; a produce is answered only after it.</summary>
    PerBatch,

    /// <summary>Answered from the page cache; a background flush every <see cref="LogConfig.FlushIntervalMs"/> (Kafka's flush.ms).</summary>
    Interval,

    /// <summary>Answered from the page cache; the operating system writes back on its own schedule (rely on replication).</summary>
    None,
}

/// <summary>Per-partition log settings, with Kafka's names in the comments and Kafka's defaults.</summary>
public sealed record LogConfig
{
    /// <summary>segment.bytes</summary>
    public int SegmentBytes { get; init; } = 1024 * 1024 * 1024;

    /// <summary>segment.ms</summary>
    public long SegmentMs { get; init; } = 7L * 24 * 60 * 60 * 1000;

    /// <summary>index.interval.bytes: bytes of log between two offset-index entries.</summary>
    public int IndexIntervalBytes { get; init; } = 4096;

    /// <summary>segment.index.bytes</summary>
    public int MaxIndexBytes { get; init; } = 10 * 1024 * 1024;

    public SegmentPreallocation Preallocation { get; init; } = SegmentPreallocation.Prepared;

    /// <summary>file.delete.delay.ms: how long a segment removed by retention stays readable as "*.deleted".</summary>
    public long FileDeleteDelayMs { get; init; } = 60_000;

    /// <summary>How far ahead of the appends ZeroAhead writes zeros; each chunk costs one write and one fdatasync.</summary>
    public int ZeroAheadBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How far ahead of the appends Prepared keeps zeroed, synced blocks (log.prepare.ahead.bytes).</summary>
    public int PrepareAheadBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>flush.policy (FastLog's own topic config; broker default log.flush.policy, from the hardware profile).</summary>
    public LogFlushPolicy FlushPolicy { get; init; } = LogFlushPolicy.PerBatch;

    /// <summary>flush.ms: with <see cref="LogFlushPolicy.Interval"/>, the most time an appended batch stays unflushed.</summary>
    public long FlushIntervalMs { get; init; } = long.MaxValue;

    /// <summary>producer.id.expiration.ms: a producer idle this long is forgotten by the partition.</summary>
    public long ProducerIdExpirationMs { get; init; } = 24L * 60 * 60 * 1000;

    public void Validate()
    {
        if (SegmentBytes < 14 || SegmentBytes > int.MaxValue - 1)
        {
            throw new ArgumentException($"segment.bytes must be at least 14, got {SegmentBytes}");
        }
        if (SegmentMs <= 0)
        {
            throw new ArgumentException($"segment.ms must be positive, got {SegmentMs}");
        }
        if (IndexIntervalBytes < 0)
        {
            throw new ArgumentException($"index.interval.bytes must not be negative, got {IndexIntervalBytes}");
        }
        if (MaxIndexBytes < Index.TimeIndex.EntryBytes)
        {
            throw new ArgumentException($"segment.index.bytes must be at least {Index.TimeIndex.EntryBytes}, got {MaxIndexBytes}");
        }
        if (ProducerIdExpirationMs < 1)
        {
            throw new ArgumentException($"producer.id.expiration.ms must be at least 1, got {ProducerIdExpirationMs}");
        }
        if (ZeroAheadBytes < 4096)
        {
            throw new ArgumentException($"zero-ahead bytes must be at least 4096, got {ZeroAheadBytes}");
        }
        if (PrepareAheadBytes < ZeroAheadBytes)
        {
            throw new ArgumentException($"log.prepare.ahead.bytes must be at least the zero-ahead chunk ({ZeroAheadBytes}), got {PrepareAheadBytes}");
        }
    }
}
