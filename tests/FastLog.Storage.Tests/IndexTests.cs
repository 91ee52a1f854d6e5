using FastLog.Storage.Index;

namespace FastLog.Storage.Tests;

public sealed class IndexTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Offset_index_lookup_returns_the_last_entry_at_or_below_the_target_at_every_boundary()
    {
        var index = new OffsetIndex(Path.Combine(_dir.Path, "a.index"), 1000, 1 << 20, TestBatches.Cache(), create: true);
        for (var i = 1; i <= 5000; i++)
        {
            index.Append(1000 + i * 10, i * 100);
        }

        Assert.Equal(new OffsetPosition(1000, 0), index.Lookup(999));
        Assert.Equal(new OffsetPosition(1000, 0), index.Lookup(1009));
        Assert.Equal(new OffsetPosition(1010, 100), index.Lookup(1010));
        Assert.Equal(new OffsetPosition(1010, 100), index.Lookup(1019));
        Assert.Equal(new OffsetPosition(1000 + 2500 * 10, 250_000), index.Lookup(1000 + 2500 * 10 + 9)); // cold part
        Assert.Equal(new OffsetPosition(1000 + 4999 * 10, 499_900), index.Lookup(1000 + 4999 * 10)); // warm tail
        Assert.Equal(new OffsetPosition(51_000, 500_000), index.Lookup(long.MaxValue / 2));
    }

    [Fact]
    public void Every_entry_is_found_exactly_whether_in_the_warm_tail_or_not()
    {
        var index = new OffsetIndex(Path.Combine(_dir.Path, "b.index"), 0, 1 << 20, TestBatches.Cache(), create: true);
        for (var i = 1; i <= 3000; i++)
        {
            index.Append(i * 3, i * 7);
        }

        for (var i = 1; i <= 3000; i++)
        {
            Assert.Equal(new OffsetPosition(i * 3, i * 7), index.Lookup(i * 3 + 1));
        }
    }

    [Fact]
    public void A_full_index_ignores_further_entries_instead_of_overflowing()
    {
        var index = new OffsetIndex(Path.Combine(_dir.Path, "c.index"), 0, 80, TestBatches.Cache(), create: true);
        for (var i = 1; i <= 20; i++)
        {
            index.Append(i, i);
        }

        Assert.Equal(10, index.Entries);
        Assert.True(index.IsFull);
        Assert.Equal(new OffsetPosition(10, 10), index.Lookup(20));
    }

    [Fact]
    public void Time_index_keeps_only_increasing_timestamps_and_looks_up_the_last_at_or_below()
    {
        var index = new TimeIndex(Path.Combine(_dir.Path, "a.timeindex"), 500, 4096, TestBatches.Cache(), create: true);
        index.MaybeAppend(100, 510);
        index.MaybeAppend(100, 520); // not newer: ignored
        index.MaybeAppend(90, 530); // older: ignored
        index.MaybeAppend(200, 540);

        Assert.Equal(2, index.Entries);
        Assert.Equal(new TimestampOffset(-1, 500), index.Lookup(99));
        Assert.Equal(new TimestampOffset(100, 510), index.Lookup(150));
        Assert.Equal(new TimestampOffset(200, 540), index.Lookup(200));
        Assert.Equal(new TimestampOffset(200, 540), index.LastEntry);
    }

    [Fact]
    public void Truncating_an_index_drops_entries_at_and_after_the_offset()
    {
        var index = new OffsetIndex(Path.Combine(_dir.Path, "d.index"), 0, 4096, TestBatches.Cache(), create: true);
        var time = new TimeIndex(Path.Combine(_dir.Path, "d.timeindex"), 0, 4096, TestBatches.Cache(), create: true);
        for (var i = 1; i <= 10; i++)
        {
            index.Append(i * 10, i * 100);
            time.MaybeAppend(i * 1000, i * 10);
        }

        index.TruncateTo(50);
        time.TruncateTo(50);

        Assert.Equal(4, index.Entries);
        Assert.Equal(new OffsetPosition(40, 400), index.Lookup(1000));
        Assert.Equal(4, time.Entries);
    }

    [Fact]
    public void Trimmed_index_reloads_its_entries_from_the_file_length()
    {
        var path = Path.Combine(_dir.Path, "e.index");
        var cache = TestBatches.Cache();
        var index = new OffsetIndex(path, 0, 4096, cache, create: true);
        for (var i = 1; i <= 7; i++)
        {
            index.Append(i, i * 10);
        }
        index.Trim();

        var reloaded = new OffsetIndex(path, 0, 4096, TestBatches.Cache(), create: false);

        Assert.True(reloaded.LoadEntriesFromLength());
        Assert.Equal(7, reloaded.Entries);
        Assert.Equal(new OffsetPosition(7, 70), reloaded.Lookup(100));
        Assert.Equal(56, new FileInfo(path).Length);
    }
}
