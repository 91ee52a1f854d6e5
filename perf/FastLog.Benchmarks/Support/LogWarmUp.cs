using FastLog.Storage;

namespace FastLog.Benchmarks.Support;

/// <summary>
/// Brings a fresh log to its steady state before measuring: the segment file and both index files are opened
/// and mapped lazily, on the first append that writes into each, and those one-off opens allocate.
/// </summary>
internal static class LogWarmUp
{
    public static void Run(PartitionLog log, byte[] batch)
    {
        var segment = log.ActiveSegment;
        // The first index entry is written by the first append past index.interval.bytes.
        while (segment.OffsetIndex.Entries == 0 || segment.TimeIndex.Entries == 0)
        {
            log.Append(batch);
        }
        log.Flush();
    }
}
