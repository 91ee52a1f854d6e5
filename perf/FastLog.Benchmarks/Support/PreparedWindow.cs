using FastLog.Storage.Segments;

namespace FastLog.Benchmarks.Support;

/// <summary>
/// Waits until the segment preparer has zeroed and synced <c>bytes</c> ahead of a segment's end: the state a
/// pre-zeroed baseline file is in before its clock starts. Bounded, so a preparer that failed stops the run.
/// </summary>
internal static class PreparedWindow
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    public static void WaitFor(LogSegment segment, long bytes)
    {
        if (!SpinWait.SpinUntil(() => segment.PreparedUpTo >= segment.Size + bytes, Limit))
        {
            throw new TimeoutException($"the preparer zeroed up to {segment.PreparedUpTo} of the {segment.Size + bytes} bytes waited for within {Limit}");
        }
    }
}
