using FastLog.Protocol.Records;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Tests;

public sealed class PartitionLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private static readonly TopicPartition Partition = new("orders", 0);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Appends_get_consecutive_offsets_and_read_back_byte_identical()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(64 * 1024), TestBatches.Cache());
        var written = new List<byte[]>();

        for (var i = 0; i < 50; i++)
        {
            var batch = TestBatches.Make(1 + i % 4);
            Assert.Equal(written.Sum(b => RecordBatchHeader.Read(b).RecordsCount), log.Append(batch));
            written.Add(batch);
        }

        var read = TestBatches.ReadAll(log);
        Assert.Equal(written.Count, read.Count);
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i], read[i].Bytes);
            Assert.True(RecordBatchValidator.Validate(read[i].Bytes).IsValid);
        }
        Assert.Equal(written.Sum(b => RecordBatchHeader.Read(b).RecordsCount), log.LogEndOffset);
    }

    [Fact]
    public void Append_stamps_the_leader_epoch_and_keeps_the_crc_valid()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(), TestBatches.Cache());
        log.Append(TestBatches.Make(3));

        log.Append(TestBatches.Make(2), leaderEpoch: 9);

        var second = TestBatches.ReadAll(log)[1].Bytes;
        Assert.Equal(9, RecordBatchHeader.Read(second).PartitionLeaderEpoch);
        Assert.Equal(3, RecordBatchHeader.Read(second).BaseOffset);
        Assert.True(RecordBatchValidator.Validate(second).IsValid);
    }

    [Fact]
    public void Segment_bytes_rolls_and_the_rolled_segment_is_trimmed_to_its_batches()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(4096), TestBatches.Cache());

        for (var i = 0; i < 40; i++)
        {
            log.Append(TestBatches.Make(2, valueBytes: 200));
        }

        Assert.True(log.Segments.Count > 3);
        foreach (var segment in log.Segments.Take(log.Segments.Count - 1))
        {
            Assert.Equal(segment.Size, new FileInfo(segment.LogFile.Path).Length);
            Assert.True(segment.Size <= 4096);
            Assert.Equal(segment.OffsetIndex.Entries * 8, new FileInfo(segment.OffsetIndex.Mapped.Path).Length);
        }
        Assert.Equal(80, log.LogEndOffset);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => 2L * i), TestBatches.ReadAll(log).Select(b => b.BaseOffset));
    }

    [Fact]
    public void Segment_ms_rolls_an_old_active_segment_on_the_next_append()
    {
        var time = new ManualTime(DateTimeOffset.FromUnixTimeMilliseconds(TestBatches.BaseTimestamp));
        var config = TestBatches.SmallSegments(1 << 20) with { SegmentMs = 60_000 };
        var log = PartitionLog.Create(Partition, _dir.Path, config, TestBatches.Cache(), time);
        log.Append(TestBatches.Make(1));
        time.Advance(TimeSpan.FromSeconds(30));
        log.Append(TestBatches.Make(1));
        Assert.Single(log.Segments);

        time.Advance(TimeSpan.FromSeconds(31));
        log.Append(TestBatches.Make(1));

        Assert.Equal(2, log.Segments.Count);
        Assert.Equal(2, log.ActiveSegment.BaseOffset);
    }

    [Fact]
    public void Segment_files_are_named_by_base_offset_with_twenty_digits()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1024), TestBatches.Cache());
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Make(3, valueBytes: 100));
        }

        var names = Directory.GetFiles(log.Directory, "*.log").Select(Path.GetFileName).Order().ToList();

        Assert.Equal("00000000000000000000.log", names[0]);
        Assert.All(log.Segments, s => Assert.Contains(SegmentFileNames.BaseName(s.BaseOffset) + ".log", names));
    }

    [Fact]
    public void Read_returns_whole_batches_up_to_the_byte_limit()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20), TestBatches.Cache());
        var size = TestBatches.Make(5).Length;
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Make(5));
        }

        Assert.Equal(3 * size, log.Read(0, 3 * size + size - 1).Length);
        Assert.Equal(size, log.Read(0, size).Length);
        Assert.Equal(size, log.Read(0, 10).Length); // the first batch even when larger, so a consumer progresses
        Assert.True(log.Read(0, 10, minOneBatch: false).IsEmpty);
    }

    [Fact]
    public void Read_of_an_offset_inside_a_batch_starts_at_that_batch()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20), TestBatches.Cache());
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Make(5));
        }

        for (long offset = 0; offset < 50; offset++)
        {
            var region = log.Read(offset, 1);
            Assert.Equal(offset / 5 * 5, RecordBatchHeader.Read(region.ToArray()).BaseOffset);
        }
    }

    [Fact]
    public void Read_stops_before_the_high_watermark_limit()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20), TestBatches.Cache());
        for (var i = 0; i < 10; i++)
        {
            log.Append(TestBatches.Make(5));
        }

        var region = log.Read(0, 1 << 20, maxOffsetExclusive: 20);

        Assert.Equal(4 * TestBatches.Make(5).Length, region.Length);
        Assert.True(log.Read(20, 1 << 20, maxOffsetExclusive: 20).IsEmpty);
    }

    [Fact]
    public void Read_regions_equal_a_batch_by_batch_walk_for_any_byte_and_offset_limit()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20) with { IndexIntervalBytes = 700 }, TestBatches.Cache());
        var random = new Random(11);
        var batches = new List<(long Base, long Next, int Size)>();
        for (var i = 0; i < 300; i++)
        {
            var batch = TestBatches.Make(1 + random.Next(4), valueBytes: random.Next(10, 400));
            var baseOffset = log.Append(batch);
            batches.Add((baseOffset, baseOffset + RecordBatchHeader.Read(batch).RecordsCount, batch.Length));
        }

        for (var trial = 0; trial < 500; trial++)
        {
            var offset = random.NextInt64(0, log.LogEndOffset);
            var maxBytes = random.Next(1, 40_000);
            var maxOffset = random.Next(2) == 0 ? long.MaxValue : random.NextInt64(offset, log.LogEndOffset + 1);

            var region = log.Read(offset, maxBytes, minOneBatch: true, maxOffsetExclusive: maxOffset);

            var first = batches.FindIndex(b => b.Next > offset);
            var expected = 0;
            if (batches[first].Base < maxOffset)
            {
                expected = batches[first].Size;
                for (var i = first + 1; i < batches.Count && batches[i].Base < maxOffset && expected + batches[i].Size <= maxBytes; i++)
                {
                    expected += batches[i].Size;
                }
            }
            Assert.Equal(expected, region.Length);
        }
    }

    [Fact]
    public void Reading_at_the_log_end_is_empty_and_past_it_is_out_of_range()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(), TestBatches.Cache());
        log.Append(TestBatches.Make(4));

        Assert.True(log.Read(4, 1000).IsEmpty);
        var error = Assert.Throws<OffsetOutOfRangeException>(() => log.Read(5, 1000));
        Assert.Equal(4, error.LogEndOffset);
    }

    [Fact]
    public void Lookups_work_at_every_segment_boundary()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(2048), TestBatches.Cache());
        for (var i = 0; i < 60; i++)
        {
            log.Append(TestBatches.Make(3, valueBytes: 60));
        }
        Assert.True(log.Segments.Count > 5);

        foreach (var segment in log.Segments)
        {
            foreach (var offset in new[] { segment.BaseOffset, segment.BaseOffset + 1, segment.NextOffset - 1 })
            {
                var header = RecordBatchHeader.Read(log.Read(offset, 1).ToArray());
                Assert.InRange(offset, header.BaseOffset, header.LastOffset);
            }
        }
    }

    [Fact]
    public void Offset_for_timestamp_finds_the_first_record_at_or_after_it()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(2048), TestBatches.Cache());
        for (var i = 0; i < 30; i++)
        {
            log.Append(TestBatches.Make(4, timestamp: TestBatches.BaseTimestamp + i * 100)); // records at +0..+3
        }

        Assert.Equal((0L, TestBatches.BaseTimestamp), log.OffsetForTimestamp(0));
        Assert.Equal((40L, TestBatches.BaseTimestamp + 1000), log.OffsetForTimestamp(TestBatches.BaseTimestamp + 1000));
        Assert.Equal((42L, TestBatches.BaseTimestamp + 1002), log.OffsetForTimestamp(TestBatches.BaseTimestamp + 1002));
        Assert.Equal((44L, TestBatches.BaseTimestamp + 1100), log.OffsetForTimestamp(TestBatches.BaseTimestamp + 1004));
        Assert.Null(log.OffsetForTimestamp(TestBatches.BaseTimestamp + 10_000));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(33)]
    [InlineData(59)]
    public void Truncate_removes_the_batch_holding_the_offset_and_all_after_it(long offset)
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1024), TestBatches.Cache());
        for (var i = 0; i < 20; i++)
        {
            log.Append(TestBatches.Make(3, valueBytes: 60));
        }

        log.TruncateTo(offset);

        var expectedEnd = offset % 3 == 0 ? offset : (offset / 3 + 1) * 3;
        Assert.Equal(expectedEnd, log.LogEndOffset);
        Assert.Equal(expectedEnd / 3, TestBatches.ReadAll(log).Count);
        var next = log.Append(TestBatches.Make(2));
        Assert.Equal(expectedEnd, next);
        Assert.Equal(expectedEnd + 2, TestBatches.ReadAll(log).Select(b => RecordBatchHeader.Read(b.Bytes).NextOffset).Last());
    }

    [Fact]
    public void Raising_the_log_start_offset_deletes_segments_wholly_below_it()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1024), TestBatches.Cache());
        for (var i = 0; i < 30; i++)
        {
            log.Append(TestBatches.Make(3, valueBytes: 60));
        }
        var segmentsBefore = log.Segments.Count;
        var third = log.Segments[2];

        var deleted = log.IncreaseLogStartOffset(third.BaseOffset + 1);

        Assert.Equal(2, deleted);
        Assert.Equal(segmentsBefore - 2, log.Segments.Count);
        Assert.Equal(third.BaseOffset + 1, log.LogStartOffset);
        Assert.Throws<OffsetOutOfRangeException>(() => log.Read(third.BaseOffset, 100));
        Assert.False(log.Read(third.BaseOffset + 1, 100).IsEmpty);
        Assert.False(File.Exists(SegmentFileNames.Log(log.Directory, 0)));
    }

    [Fact]
    public void A_batch_larger_than_segment_bytes_gets_a_segment_of_its_own()
    {
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1024), TestBatches.Cache());
        log.Append(TestBatches.Make(1));

        var big = TestBatches.Make(10, valueBytes: 500);
        log.Append(big);
        log.Append(TestBatches.Make(1));

        Assert.Equal(big, TestBatches.ReadAll(log)[1].Bytes);
        Assert.Equal(3, log.Segments.Count);
    }

    [Theory]
    [InlineData(SegmentPreallocation.None)]
    [InlineData(SegmentPreallocation.Fallocate)]
    [InlineData(SegmentPreallocation.ZeroAhead)]
    [InlineData(SegmentPreallocation.Prepared)]
    public void Every_preallocation_mode_keeps_data_across_a_clean_reopen(SegmentPreallocation mode)
    {
        var config = TestBatches.SmallSegments(8192, mode);
        var cache = TestBatches.Cache();
        var log = PartitionLog.Create(Partition, _dir.Path, config, cache);
        for (var i = 0; i < 25; i++)
        {
            log.Append(TestBatches.Make(2, valueBytes: 90));
        }
        var before = TestBatches.ReadAll(log);
        log.Close();

        var reopened = PartitionLog.Open(Partition, log.Directory, config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = true });

        Assert.Equal(before.Select(b => b.Bytes), TestBatches.ReadAll(reopened).Select(b => b.Bytes));
        Assert.Equal(50, reopened.LogEndOffset);
        Assert.Equal(50, reopened.Append(TestBatches.Make(1)));
    }

    [Fact]
    public void Prepared_segments_are_zeroed_ahead_in_the_background_and_appends_land_intact()
    {
        var config = TestBatches.SmallSegments(1024 * 1024, SegmentPreallocation.Prepared) with { ZeroAheadBytes = 4096, PrepareAheadBytes = 64 * 1024 };
        var log = PartitionLog.Create(Partition, _dir.Path, config, TestBatches.Cache());
        Assert.Equal(0, log.ActiveSegment.PreparedUpTo); // nothing is zeroed before the first append

        var appended = new List<byte[]> { TestBatches.Make(2, valueBytes: 200) };
        log.Append(appended[0]);
        Assert.True(SpinWait.SpinUntil(() => log.ActiveSegment.PreparedUpTo >= 64 * 1024, TimeSpan.FromSeconds(30)), "the preparer never zeroed the window");
        for (var i = 1; i < 400; i++)
        {
            var batch = TestBatches.Make(2, valueBytes: 200);
            log.Append(batch);
            appended.Add(batch);
        }
        log.TruncateTo(600);
        for (var i = 0; i < 100; i++)
        {
            var batch = TestBatches.Make(1, valueBytes: 300);
            log.Append(batch);
            appended[300 + i] = batch;
        }
        appended.RemoveRange(400, appended.Count - 400);
        log.Flush();

        Assert.Equal(appended, TestBatches.ReadAll(log).Select(b => b.Bytes));
        Assert.True(SpinWait.SpinUntil(() => log.ActiveSegment.PreparedUpTo >= log.ActiveSegment.Size + 32 * 1024, TimeSpan.FromSeconds(30)), "the preparer stopped keeping ahead");
        var reopened = PartitionLog.Open(Partition, log.Directory, config, TestBatches.Cache(), new LogOpenOptions());
        Assert.Equal(appended, TestBatches.ReadAll(reopened).Select(b => b.Bytes));
    }
}
