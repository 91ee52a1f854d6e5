using FastLog.Protocol.Records;
using FastLog.Storage.Files;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Tests;

/// <summary>
/// Deferred appends (a device writer's pass): offsets and producer state move at once, the bytes are written
/// together by WriteDeferred, readers see nothing before that, and anything else that changes the log writes
/// them first.
/// </summary>
public sealed class DeferredAppendTests : IDisposable
{
    private static readonly TopicPartition Partition = new("deferred", 0);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private PartitionLog Create(int segmentBytes = 1 << 20, SegmentPreallocation preallocation = SegmentPreallocation.Prepared) =>
        PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(segmentBytes, preallocation), TestBatches.Cache());

    [Theory]
    [InlineData(SegmentPreallocation.Prepared)]
    [InlineData(SegmentPreallocation.ZeroAhead)]
    [InlineData(SegmentPreallocation.Fallocate)]
    [InlineData(SegmentPreallocation.None)]
    public void Deferred_batches_get_their_offsets_at_once_and_become_readable_only_when_written(SegmentPreallocation mode)
    {
        var log = Create(preallocation: mode);
        log.Append(TestBatches.Make(2));
        var batches = Enumerable.Range(0, 5).Select(i => TestBatches.Make(1 + i)).ToList();

        var results = batches.Select(b => log.TryAppendDeferred(b)).ToList();

        Assert.Equal([2L, 3, 5, 8, 12], results.Select(r => r.BaseOffset));
        Assert.Equal(17, log.LogEndOffset);
        Assert.Single(TestBatches.ReadAll(log)); // only the batch written before
        Assert.True(log.Read(2, 1 << 20).IsEmpty);
        Assert.Null(log.OffsetForTimestamp(TestBatches.BaseTimestamp + 1_000_000));

        log.WriteDeferred();

        var read = TestBatches.ReadAll(log);
        Assert.Equal([0L, 2, 3, 5, 8, 12], read.Select(r => r.BaseOffset));
        for (var i = 0; i < batches.Count; i++)
        {
            Assert.Equal(batches[i], read[i + 1].Bytes); // offsets were stamped into the caller's bytes, then written
            Assert.True(RecordBatchValidator.Validate(read[i + 1].Bytes).IsValid);
        }
    }

    [Fact]
    public void A_plain_append_and_a_flush_write_deferred_batches_first()
    {
        var log = Create();
        log.TryAppendDeferred(TestBatches.Make(1));
        log.Append(TestBatches.Make(1)); // goes after the deferred one, not over it
        log.TryAppendDeferred(TestBatches.Make(1));

        Assert.Equal(3, log.Flush());

        Assert.Equal([0L, 1, 2], TestBatches.ReadAll(log).Select(r => r.BaseOffset));
        log.WriteDeferred(); // nothing left: no error, nothing written twice
        Assert.Equal(3, TestBatches.ReadAll(log).Count);
    }

    [Fact]
    public void A_roll_in_the_middle_of_a_pass_writes_the_old_segment_first_and_survives_a_crash_reopen()
    {
        var log = Create(segmentBytes: 2048);
        var written = new List<byte[]>();
        for (var i = 0; i < 40; i++)
        {
            var batch = TestBatches.Make(2); // about 200 bytes: a segment holds ten
            log.TryAppendDeferred(batch);
            written.Add(batch);
        }
        log.WriteDeferred();
        log.Flush();

        Assert.True(log.Segments.Count >= 3, $"{log.Segments.Count} segments");
        Assert.Equal(written, TestBatches.ReadAll(log).Select(r => r.Bytes));
        var reopened = PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = false, RecoveryPoint = 0 });
        Assert.Equal(written, TestBatches.ReadAll(reopened).Select(r => r.Bytes));
        Assert.Equal(80, reopened.LogEndOffset);
    }

    [Fact]
    public void A_truncation_and_a_clean_close_see_the_deferred_batches_as_written()
    {
        var log = Create();
        for (var i = 0; i < 4; i++)
        {
            log.TryAppendDeferred(TestBatches.Make(1));
        }
        log.TruncateTo(2);
        Assert.Equal([0L, 1], TestBatches.ReadAll(log).Select(r => r.BaseOffset));

        log.TryAppendDeferred(TestBatches.Make(3));
        log.Close();

        var reopened = PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = true, RecoveryPoint = 5 });
        Assert.Equal([0L, 1, 2], TestBatches.ReadAll(reopened).Select(r => r.BaseOffset));
        Assert.Equal(5, reopened.LogEndOffset);
    }

    [Fact]
    public void A_retry_within_the_same_pass_is_a_duplicate_of_the_deferred_batch()
    {
        var log = Create();
        var first = log.TryAppendDeferred(Idempotent(77, 0));
        var second = log.TryAppendDeferred(Idempotent(77, 1));
        var retry = log.TryAppendDeferred(Idempotent(77, 1));
        var gap = log.TryAppendDeferred(Idempotent(77, 5));
        log.WriteDeferred();

        Assert.Equal(AppendResult.Appended(0), first);
        Assert.Equal(AppendResult.Appended(1), second);
        Assert.Equal((AppendStatus.Duplicate, 1L), (retry.Status, retry.BaseOffset));
        Assert.Equal(AppendStatus.OutOfOrderSequence, gap.Status);
        Assert.Equal([0L, 1], TestBatches.ReadAll(log).Select(r => r.BaseOffset));
    }

    private static byte[] Idempotent(long producerId, int sequence) => RecordBatchBuilder.BuildDense(
        new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = 0, BaseSequence = sequence },
        [FastLog.Protocol.Records.Record.Create(null, new byte[10], TestBatches.BaseTimestamp)]);

    /// <summary>Makes the active segment's file unopenable: closed in the cache, then deleted (a disk that went away).</summary>
    private static void LoseActiveFile(PartitionLog log, FileCache cache)
    {
        cache.Invalidate(log.ActiveSegment.LogFile);
        File.Delete(log.ActiveSegment.LogFile.Path);
    }

    [Fact]
    public void A_failed_write_drops_the_pass_and_puts_offsets_and_producer_state_back()
    {
        var cache = TestBatches.Cache();
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20, SegmentPreallocation.None), cache);
        log.TryAppend(Idempotent(9, 0));
        log.TryAppendDeferred(Idempotent(9, 1));
        log.TryAppendDeferred(Idempotent(10, 0)); // a producer the log has not seen before
        Assert.Equal(3, log.LogEndOffset);
        LoseActiveFile(log, cache);

        Assert.ThrowsAny<IOException>(log.WriteDeferred);

        Assert.Equal(1, log.LogEndOffset);
        Assert.Equal(0, log.ProducerState.Get(9)!.LastSequence); // sequence 1 is not in the log
        Assert.Null(log.ProducerState.Get(10));
        log.WriteDeferred(); // the failure was reported once; nothing is pending
        // A retry of the dropped batch is a new append (offset 1), not a duplicate answered from lost state.
        Assert.Equal(AppendResult.Appended(1), log.TryAppendDeferred(Idempotent(9, 1)));
    }

    [Fact]
    public void A_write_failed_by_a_flush_is_reported_to_the_pass_that_took_the_batches()
    {
        var cache = TestBatches.Cache();
        var log = PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(1 << 20, SegmentPreallocation.None), cache);
        log.Append(TestBatches.Make(1));
        log.TryAppendDeferred(Idempotent(9, 0));
        LoseActiveFile(log, cache);

        Assert.ThrowsAny<IOException>(() => log.Flush()); // another thread's flush wrote them first, and failed

        Assert.Equal(1, log.LogEndOffset);
        Assert.Null(log.ProducerState.Get(9));
        Assert.ThrowsAny<IOException>(log.WriteDeferred); // the writer's pass learns its batches are gone
        log.WriteDeferred();
    }
}

