namespace FastLog.Storage.Segments;

/// <summary>Where a batch lies in a segment, and the header fields a scan needs.</summary>
public readonly record struct BatchPosition(int Position, int Size, long BaseOffset, long LastOffset, long MaxTimestamp);

/// <summary>What recovering a segment found: valid bytes kept, and where and why the rest was cut.</summary>
public readonly record struct SegmentRecovery(int ValidBytes, long NextOffset, int BatchesRecovered, string? CutReason, long CutPosition)
{
    public bool Truncated => CutReason is not null;
}
