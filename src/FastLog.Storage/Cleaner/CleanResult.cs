namespace FastLog.Storage.Cleaner;

/// <summary>What one cleaning of one log did: the offsets it covered and its I/O, for metrics and the log line.</summary>
public sealed record CleanResult
{
    public required TopicPartition Partition { get; init; }

    /// <summary>The first dirty offset the cleaning started from.</summary>
    public long FirstDirtyOffset { get; init; }

    /// <summary>The first offset not in the key map: the next cleaning's first dirty offset.</summary>
    public long EndOffset { get; init; }

    public double DirtyRatio { get; init; }
    public long BytesRead { get; init; }
    public long BytesWritten { get; init; }
    public long RecordsRead { get; init; }
    public long RecordsRemoved { get; init; }
    public int SegmentsBefore { get; init; }
    public int SegmentsAfter { get; init; }

    /// <summary>False when nothing was cleanable, or the log changed under the cleaning (which then did nothing).</summary>
    public bool Cleaned { get; init; }
}
