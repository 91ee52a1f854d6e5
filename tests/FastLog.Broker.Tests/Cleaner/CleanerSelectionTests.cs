using FastLog.Broker.Cleaner;
using FastLog.Storage.Cleaner;

namespace FastLog.Broker.Tests.Cleaner;

/// <summary>Which log the cleaner takes next, at the boundaries of min.cleanable.dirty.ratio and max.compaction.lag.ms.</summary>
public sealed class CleanerSelectionTests
{
    private const long Now = 1_700_000_000_000;

    /// <summary>A section with 1,000 bytes in all, <paramref name="dirtyBytes"/> of them dirty, first dirty record at the given age.</summary>
    private static CleanableSection Section(long dirtyBytes, long firstDirtyAgeMs = 0) =>
        new(FirstDirtyOffset: 100, FirstUncleanableOffset: dirtyBytes > 0 ? 200 : 100, CleanBytes: 1000 - dirtyBytes, DirtyBytes: dirtyBytes, FirstDirtyTimestamp: Now - firstDirtyAgeMs);

    [Fact]
    public void A_log_exactly_at_min_cleanable_dirty_ratio_waits_and_one_above_it_is_cleaned()
    {
        Assert.Null(CleanerSelection.Rank(Section(500), minCleanableDirtyRatio: 0.5, maxCompactionLagMs: long.MaxValue, Now));
        Assert.Equal(0.501, CleanerSelection.Rank(Section(501), minCleanableDirtyRatio: 0.5, maxCompactionLagMs: long.MaxValue, Now));
    }

    [Fact]
    public void Dirty_data_older_than_max_compaction_lag_is_cleaned_whatever_the_ratio_and_comes_first()
    {
        var atLag = CleanerSelection.Rank(Section(10, firstDirtyAgeMs: 60_000), 0.5, maxCompactionLagMs: 60_000, Now);
        var pastLag = CleanerSelection.Rank(Section(10, firstDirtyAgeMs: 60_001), 0.5, maxCompactionLagMs: 60_000, Now);
        var dirtiest = CleanerSelection.Rank(Section(900), 0.5, long.MaxValue, Now);

        Assert.Null(atLag);
        Assert.NotNull(pastLag);
        Assert.True(pastLag > dirtiest);
    }

    [Fact]
    public void A_log_without_dirty_data_is_never_taken()
    {
        Assert.Null(CleanerSelection.Rank(Section(0, firstDirtyAgeMs: 1_000_000), minCleanableDirtyRatio: 0, maxCompactionLagMs: 1, Now));
    }
}
