using FastLog.Storage.Cleaner;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Tests.Cleaner;

/// <summary>
/// A crash at each stage of a swap, rebuilt from the files a real cleaning leaves: the next open rolls back
/// (".cleaned") or completes (".swap") it, and a reader sees either the old log or the cleaned one, never a mix.
/// </summary>
public sealed class SegmentSwapRecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Copies of the partition folder before and after one cleaning, and the cleaned segment's base offset.</summary>
    private (string Before, string After, long CleanedBase, List<byte[]> OldBatches, List<byte[]> CleanedBatches) Cleaning()
    {
        var log = new CompactedLog(Path.Combine(_dir.Path, "live"));
        log.AppendRounds(keys: 20, rounds: 15);
        log.Log.Roll();
        log.Log.HighWatermark = log.Log.LogEndOffset;
        // Larger segments from now on: the whole log is cleaned into one segment, so one swap replaces it all.
        log.Log.UpdateConfig(log.Log.Config with { SegmentBytes = 1 << 20 });
        var before = Copy(log.Log.Directory, "before");
        var oldBatches = TestBatches.ReadAll(log.Log).Select(b => b.Bytes).ToList();
        log.Clean();
        Assert.Equal(2, log.Log.Segments.Count);
        var after = Copy(log.Log.Directory, "after");
        return (before, after, log.Log.Segments[0].BaseOffset, oldBatches, TestBatches.ReadAll(log.Log).Select(b => b.Bytes).ToList());
    }

    [Fact]
    public void A_crash_before_the_swap_leaves_the_old_segments_and_deletes_the_cleaned_files()
    {
        var (before, after, cleanedBase, oldBatches, _) = Cleaning();
        var folder = Copy(before, "crashed");
        CopyAs(after, folder, cleanedBase, SegmentSwap.CleanedSuffix);

        var reopened = Open(folder);

        Assert.Equal(oldBatches, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Empty(Directory.GetFiles(folder, "*" + SegmentSwap.CleanedSuffix));
    }

    [Fact]
    public void A_crash_after_the_rename_to_swap_completes_the_swap()
    {
        var (before, after, cleanedBase, _, cleanedBatches) = Cleaning();
        var folder = Copy(before, "crashed");
        CopyAs(after, folder, cleanedBase, SegmentSwap.SwapSuffix);

        var reopened = Open(folder);

        Assert.Equal(cleanedBatches, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Empty(Directory.GetFiles(folder, "*" + SegmentSwap.SwapSuffix));
    }

    [Fact]
    public void A_crash_while_the_old_segments_are_being_deleted_completes_the_swap()
    {
        var (before, after, cleanedBase, _, cleanedBatches) = Cleaning();
        var folder = Copy(before, "crashed");
        // The first old segment is already ".deleted"; the others are still live.
        foreach (var file in Directory.GetFiles(folder, SegmentFileNames.BaseName(cleanedBase) + ".*"))
        {
            File.Move(file, file + LogSegment.DeletedSuffix);
        }
        CopyAs(after, folder, cleanedBase, SegmentSwap.SwapSuffix);

        var reopened = Open(folder);

        Assert.Equal(cleanedBatches, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
    }

    [Fact]
    public void A_crash_after_the_log_file_lost_its_swap_suffix_but_not_its_indexes_rebuilds_them()
    {
        var (_, after, cleanedBase, _, cleanedBatches) = Cleaning();
        var folder = Copy(after, "crashed");
        File.Copy(SegmentFileNames.Index(folder, cleanedBase), SegmentFileNames.Index(folder, cleanedBase) + SegmentSwap.SwapSuffix);

        var reopened = Open(folder);

        Assert.Equal(cleanedBatches, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Empty(Directory.GetFiles(folder, "*" + SegmentSwap.SwapSuffix));
    }

    private static PartitionLog Open(string folder) =>
        PartitionLog.Open(new TopicPartition("compacted", 0), folder, TestBatches.SmallSegments(), TestBatches.Cache(), new LogOpenOptions { CleanShutdown = false });

    /// <summary>Puts the cleaned segment of <paramref name="after"/> into <paramref name="folder"/> under the given suffix.</summary>
    private static void CopyAs(string after, string folder, long baseOffset, string suffix)
    {
        File.Copy(SegmentFileNames.Log(after, baseOffset), SegmentFileNames.Log(folder, baseOffset) + suffix);
        File.Copy(SegmentFileNames.Index(after, baseOffset), SegmentFileNames.Index(folder, baseOffset) + suffix);
        File.Copy(SegmentFileNames.TimeIndex(after, baseOffset), SegmentFileNames.TimeIndex(folder, baseOffset) + suffix);
    }

    private string Copy(string from, string name)
    {
        var to = Path.Combine(_dir.Path, name, "compacted-0");
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from).Where(f => !f.EndsWith(LogSegment.DeletedSuffix, StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        return to;
    }
}
