using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Tests;

/// <summary>Opening a log that was not closed cleanly: what recovery keeps, what it cuts, and that it says so.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TopicPartition Partition = new("events", 3);

    public void Dispose() => _dir.Dispose();

    private (PartitionLog Log, List<byte[]> Batches) WriteLog(int batches, int segmentBytes = 4096)
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(segmentBytes), TestBatches.Cache());
        var written = new List<byte[]>();
        for (var i = 0; i < batches; i++)
        {
            var batch = TestBatches.Make(2, valueBytes: 80);
            log.Append(batch);
            written.Add(batch);
        }
        log.Flush();
        return (log, written);
    }

    private static PartitionLog Reopen(PartitionLog log, List<string> lines, long recoveryPoint = 0) =>
        PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { RecoveryPoint = recoveryPoint, Log = lines.Add });

    [Fact]
    public void An_unclean_open_keeps_every_flushed_batch()
    {
        var (log, written) = WriteLog(30);
        var lines = new List<string>();

        var reopened = Reopen(log, lines);

        Assert.Equal(written, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Equal(60, reopened.LogEndOffset);
        Assert.Empty(lines);
    }

    [Theory]
    [InlineData(SegmentPreallocation.ZeroAhead)]
    [InlineData(SegmentPreallocation.Prepared)]
    public void A_last_segment_trimmed_by_a_roll_the_crash_cut_short_keeps_its_batches_when_appended_to_again(SegmentPreallocation preallocation)
    {
        // A roll trims the full segment to its data and then creates the next one: a crash between the two leaves a
        // last segment whose file ends exactly at its data. Recovery must count those bytes as written, or the
        // zeroing ahead of the next appends starts from 0 and wipes them.
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20, preallocation), TestBatches.Cache());
        var written = new List<byte[]>();
        for (var i = 0; i < 10; i++)
        {
            var batch = TestBatches.Make(2, valueBytes: 80);
            log.Append(batch);
            written.Add(batch);
        }
        log.Flush();
        log.ActiveSegment.Trim();
        var lines = new List<string>();

        var reopened = Reopen(log, lines);
        for (var i = 0; i < 10; i++)
        {
            var batch = TestBatches.Make(2, valueBytes: 80);
            reopened.Append(batch);
            written.Add(batch);
        }
        reopened.Flush();
        if (preallocation == SegmentPreallocation.Prepared)
        {
            // The preparer zeroes ahead on its own thread: give it the time to do its worst.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (reopened.ActiveSegment.PreparedUpTo < reopened.ActiveSegment.Size + 4096 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }

        Assert.Equal(written, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Equal(written, TestBatches.ReadAll(Reopen(reopened, lines)).Select(b => b.Bytes));
    }

    [Fact]
    public void A_torn_last_batch_is_cut_and_logged()
    {
        var (log, written) = WriteLog(10, segmentBytes: 1 << 20);
        var active = log.ActiveSegment;
        var lastSize = written[^1].Length;
        using (var file = File.OpenHandle(active.LogFile.Path, FileMode.Open, FileAccess.Write))
        {
            // The last batch's second half never reached the disk.
            RandomAccess.Write(file, new byte[lastSize / 2], active.Size - lastSize / 2);
        }
        var lines = new List<string>();

        var reopened = Reopen(log, lines);

        Assert.Equal(written.Take(9), TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Equal(18, reopened.LogEndOffset);
        Assert.Contains(lines, l => l.Contains("cut at position", StringComparison.Ordinal) && l.Contains("offset 18", StringComparison.Ordinal));
        Assert.Equal(18, reopened.Append(TestBatches.Make(1)));
    }

    [Fact]
    public void A_bit_flip_in_the_tail_truncates_there()
    {
        var (log, written) = WriteLog(10, segmentBytes: 1 << 20);
        var active = log.ActiveSegment;
        var position = written.Take(6).Sum(b => b.Length) + 40;
        FlipBit(active.LogFile.Path, position);
        var lines = new List<string>();

        var reopened = Reopen(log, lines);

        Assert.Equal(written.Take(6), TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Contains(lines, l => l.Contains("CRC-32C", StringComparison.Ordinal));
    }

    [Fact]
    public void Garbage_after_the_last_batch_is_dropped_and_never_parsed_again()
    {
        var (log, written) = WriteLog(5, segmentBytes: 1 << 20);
        var end = log.ActiveSegment.Size;
        // A stale whole batch after garbage: if recovery left it on disk it could be read back later.
        using (var file = File.OpenHandle(log.ActiveSegment.LogFile.Path, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.Write(file, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 }, end);
            var stale = (byte[])written[0].Clone();
            RecordBatchHeader.AssignOffsets(stale, 10, 0);
            RandomAccess.Write(file, stale, end + 13);
        }

        var reopened = Reopen(log, []);
        reopened.Append(TestBatches.Make(2, valueBytes: 1)); // shorter than garbage + stale batch
        var again = Reopen(reopened, []);

        Assert.Equal(12, again.LogEndOffset);
        Assert.Equal(6, TestBatches.ReadAll(again).Count);
    }

    [Fact]
    public void A_corrupt_batch_in_a_middle_segment_cuts_the_log_there_and_drops_later_segments()
    {
        var (log, written) = WriteLog(40, segmentBytes: 2048);
        Assert.True(log.Segments.Count >= 4);
        var victim = log.Segments[1];
        FlipBit(victim.LogFile.Path, 100);
        var lines = new List<string>();

        var reopened = Reopen(log, lines, recoveryPoint: 0);

        Assert.Equal(victim.BaseOffset, reopened.LogEndOffset);
        Assert.Equal(2, reopened.Segments.Count); // segment 0, and the cut segment which is now empty and active
        Assert.Contains(lines, l => l.Contains("deleted", StringComparison.Ordinal));
    }

    [Fact]
    public void Segments_below_the_recovery_point_are_trusted_without_a_scan()
    {
        var (log, written) = WriteLog(40, segmentBytes: 2048);
        var first = log.Segments[0];
        FlipBit(first.LogFile.Path, 100); // corruption that only a full scan would notice

        var reopened = Reopen(log, [], recoveryPoint: log.Segments[^1].BaseOffset);

        Assert.Equal(80, reopened.LogEndOffset);
    }

    [Fact]
    public void Random_bytes_in_place_of_a_segment_give_an_empty_log_not_an_exception()
    {
        var (log, _) = WriteLog(8, segmentBytes: 1 << 20);
        var random = new Random(5);
        var garbage = new byte[50_000];
        random.NextBytes(garbage);
        File.WriteAllBytes(log.ActiveSegment.LogFile.Path, garbage);
        var lines = new List<string>();

        var reopened = Reopen(log, lines);

        Assert.Equal(0, reopened.LogEndOffset);
        Assert.Single(lines);
        Assert.Equal(0, reopened.Append(TestBatches.Make(1)));
    }

    [Fact]
    public void Random_bytes_in_place_of_index_files_are_rebuilt_from_the_log()
    {
        var (log, written) = WriteLog(40, segmentBytes: 2048);
        log.Close();
        var random = new Random(6);
        foreach (var segment in log.Segments)
        {
            var garbage = new byte[random.Next(1, 300)];
            random.NextBytes(garbage);
            File.WriteAllBytes(segment.OffsetIndex.Mapped.Path, garbage);
            File.WriteAllBytes(segment.TimeIndex.Mapped.Path, garbage);
        }

        var reopened = PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = true });

        Assert.Equal(written, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        for (long offset = 0; offset < 80; offset += 7)
        {
            var header = RecordBatchHeader.Read(reopened.Read(offset, 1).ToArray());
            Assert.InRange(offset, header.BaseOffset, header.LastOffset);
        }
    }

    [Fact]
    public void Truncated_segment_file_is_recovered_to_its_last_whole_batch()
    {
        var (log, written) = WriteLog(40, segmentBytes: 2048);
        log.Close();
        var last = log.Segments[^1];
        var lengthBefore = new FileInfo(last.LogFile.Path).Length;
        using (var file = File.OpenHandle(last.LogFile.Path, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.SetLength(file, lengthBefore - 7);
        }

        var reopened = PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = false });

        Assert.Equal(written.Take(39), TestBatches.ReadAll(reopened).Select(b => b.Bytes));
    }

    [Fact]
    public void Orphan_index_files_without_a_log_are_removed()
    {
        var (log, _) = WriteLog(3);
        File.WriteAllBytes(SegmentFileNames.Index(log.Directory, 999), new byte[16]);

        Reopen(log, []);

        Assert.False(File.Exists(SegmentFileNames.Index(log.Directory, 999)));
    }

    internal static void FlipBit(string path, long position)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        var one = new byte[1];
        RandomAccess.Read(file, one, position);
        one[0] ^= 0x04;
        RandomAccess.Write(file, one, position);
    }
}

/// <summary>Corruption at rest in segments that open without a scan: found on read, never served.</summary>
public sealed class CorruptionAtRestTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TopicPartition Partition = new("at-rest", 0);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_bit_flip_in_an_older_segment_is_reported_with_its_offset_and_never_returned()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(2048), TestBatches.Cache());
        for (var i = 0; i < 40; i++)
        {
            log.Append(TestBatches.Make(2, valueBytes: 80));
        }
        log.Close();
        var victim = log.Segments[1];
        var victimBatch = log.Read(victim.BaseOffset + 2, 1); // the second batch of that segment
        RecoveryTests.FlipBit(victim.LogFile.Path, victimBatch.Position + 70);

        var reopened = PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = true });

        var before = reopened.Read(victim.BaseOffset, 1 << 20);
        Assert.Equal(victimBatch.Position - before.Position, before.Length); // stops short of the corrupt batch
        var error = Assert.Throws<Segments.CorruptBatchException>(() => reopened.Read(victim.BaseOffset + 2, 1 << 20));
        Assert.Equal(victim.BaseOffset + 2, error.Offset);
        Assert.Equal(victimBatch.Position, error.Position);
        Assert.False(reopened.Read(victim.NextOffset, 1 << 20).IsEmpty); // later segments still serve
    }

    [Fact]
    public void A_corrupt_length_field_is_an_error_not_a_hang()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20), TestBatches.Cache());
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Make(2));
        }
        log.Close();
        var third = log.Read(4, 1);
        using (var file = File.OpenHandle(log.ActiveSegment.LogFile.Path, FileMode.Open, FileAccess.Write))
        {
            RandomAccess.Write(file, new byte[] { 0xFF, 0xFF, 0xFF, 0xF4 }, third.Position + 8); // batchLength = -12
        }
        var reopened = PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = true });

        var error = Xunit.Record.Exception(() => reopened.Read(6, 1 << 20));

        Assert.IsType<Segments.CorruptBatchException>(error);
    }
}
