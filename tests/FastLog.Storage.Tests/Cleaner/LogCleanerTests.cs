using FastLog.Protocol.Records;
using FastLog.Storage.Cleaner;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Storage.Tests.Cleaner;

/// <summary>The cleaner on one log: what a reader from the start sees afterwards, and what it never touches.</summary>
public sealed class LogCleanerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Only_the_latest_record_of_each_key_stays_at_its_original_offset()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 50, rounds: 20);

        var result = log.RollAndClean();

        var records = CompactedLog.ReadRecords(log.Log);
        Assert.True(result.Cleaned);
        Assert.Equal(50, records.Count);
        Assert.Equal(log.Latest.Values.Select(v => v.Offset).Order(), records.Select(r => r.Offset)); // offset order, originals
        Assert.All(records, r => Assert.Equal(log.Latest[CompactedLog.Text(r.Key)].Value, CompactedLog.Text(r.Value)));
        Assert.Equal(log.Log.LogEndOffset, result.EndOffset);
        Assert.Equal(950, result.RecordsRemoved);
    }

    [Fact]
    public void Segments_that_clean_down_to_little_are_merged_and_leave_no_run_of_empty_batches()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 50, rounds: 20);
        var segmentsBefore = log.Log.Segments.Count;

        log.RollAndClean();

        var cleanedSegments = log.Log.Segments.Count - 1;
        var batches = TestBatches.ReadAll(log.Log).Select(b => RecordBatchHeader.Read(b.Bytes)).ToList();
        Assert.True(cleanedSegments < segmentsBefore / 2, $"{cleanedSegments} cleaned segments from {segmentsBefore}");
        Assert.True(batches.Count(b => b.RecordsCount == 0) <= cleanedSegments, "at most one empty batch per cleaned segment, at its end");
        Assert.Equal(50, CompactedLog.ReadRecords(log.Log).Count);
    }

    [Fact]
    public void Reading_from_an_offset_that_was_cleaned_away_starts_at_the_next_record()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 5);
        log.RollAndClean();

        var region = log.Log.Read(3, 1 << 20).ToArray();

        var first = RecordBatchReader.ReadRecords(region).First(r => r.Offset >= 3);
        Assert.Equal(log.Latest.Values.Min(v => v.Offset), first.Offset);
    }

    [Fact]
    public void The_active_segment_is_never_cleaned()
    {
        var log = new CompactedLog(_dir.Path, segmentBytes: 1 << 20);
        log.AppendRounds(keys: 10, rounds: 5);
        log.Log.HighWatermark = log.Log.LogEndOffset;
        var before = TestBatches.ReadAll(log.Log);

        var result = log.Clean();

        Assert.False(result.Cleaned);
        Assert.Equal(before.Select(b => b.Bytes), TestBatches.ReadAll(log.Log).Select(b => b.Bytes));
    }

    [Fact]
    public void Records_above_the_high_watermark_are_not_cleaned()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 20);
        log.Log.Roll();
        log.Log.HighWatermark = 0;

        var result = log.Clean();

        Assert.False(result.Cleaned);
        Assert.Equal(200, CompactedLog.ReadRecords(log.Log).Count);
    }

    [Fact]
    public void Segments_with_records_younger_than_min_compaction_lag_wait()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 20);
        var newest = log.Log.Segments.Max(s => s.MaxTimestamp);

        var waiting = log.RollAndClean(nowMs: newest + 1000, minCompactionLagMs: 1001);
        var recordsWhileWaiting = CompactedLog.ReadRecords(log.Log).Count;
        var cleaned = log.Clean(nowMs: newest + 1000, minCompactionLagMs: 1000);

        Assert.False(waiting.Cleaned);
        Assert.Equal(200, recordsWhileWaiting);
        Assert.True(cleaned.Cleaned);
        Assert.Equal(10, CompactedLog.ReadRecords(log.Log).Count);
    }

    [Fact]
    public void A_tombstone_gets_a_delete_horizon_stays_until_it_passes_and_then_goes()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 3);
        log.Append([(CompactedLog.Key(3), null)]);
        const long cleanedAt = CompactedLog.Now;

        log.RollAndClean(nowMs: cleanedAt, deleteRetentionMs: 1000);
        var tombstoneBatch = TestBatches.ReadAll(log.Log).Single(b => RecordBatchReader.ReadRecords(b.Bytes).Any(r => r.Value is null));
        log.Append([(CompactedLog.Key(4), "more")]);
        log.RollAndClean(nowMs: cleanedAt + 999, deleteRetentionMs: 1000);
        var beforeHorizon = CompactedLog.ReadRecords(log.Log);
        log.Append([(CompactedLog.Key(5), "more")]);
        log.RollAndClean(nowMs: cleanedAt + 1000, deleteRetentionMs: 1000);
        var afterHorizon = CompactedLog.ReadRecords(log.Log);

        var header = RecordBatchHeader.Read(tombstoneBatch.Bytes);
        Assert.True(header.HasDeleteHorizon);
        Assert.Equal(cleanedAt + 1000, header.BaseTimestamp);
        Assert.Contains(beforeHorizon, r => CompactedLog.Text(r.Key) == CompactedLog.Key(3) && r.Value is null);
        Assert.DoesNotContain(afterHorizon, r => CompactedLog.Text(r.Key) == CompactedLog.Key(3));
        Assert.Equal(9, afterHorizon.Count);
    }

    [Fact]
    public void A_tombstone_removes_the_older_values_of_its_key_at_once()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 3);
        log.Append([(CompactedLog.Key(3), null)]);

        log.RollAndClean();

        var forKey = CompactedLog.ReadRecords(log.Log).Where(r => CompactedLog.Text(r.Key) == CompactedLog.Key(3)).ToList();
        Assert.Null(Assert.Single(forKey).Value);
    }

    [Theory]
    [InlineData(CompressionType.Gzip)]
    [InlineData(CompressionType.Snappy)]
    [InlineData(CompressionType.Lz4)]
    [InlineData(CompressionType.Zstd)]
    public void Compressed_batches_are_rewritten_with_the_same_codec(CompressionType compression)
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 30, rounds: 10, perBatch: 7, compression);

        log.RollAndClean();

        var batches = TestBatches.ReadAll(log.Log).Where(b => RecordBatchHeader.Read(b.Bytes).RecordsCount > 0).ToList();
        Assert.All(batches, b => Assert.Equal(compression, RecordBatchHeader.Read(b.Bytes).Compression));
        var records = CompactedLog.ReadRecords(log.Log);
        Assert.Equal(30, records.Count);
        Assert.All(records, r => Assert.Equal(log.Latest[CompactedLog.Text(r.Key)].Value, CompactedLog.Text(r.Value)));
    }

    [Fact]
    public void Keyless_records_are_removed()
    {
        var log = new CompactedLog(_dir.Path);
        log.Append([(null, "no key"), (CompactedLog.Key(1), "a"), (null, "no key either")]);
        log.Append([(CompactedLog.Key(2), "b")]);

        log.RollAndClean();

        Assert.Equal([CompactedLog.Key(1), CompactedLog.Key(2)], CompactedLog.ReadRecords(log.Log).Select(r => CompactedLog.Text(r.Key)));
    }

    [Fact]
    public void A_rewritten_batch_keeps_its_offset_range_leader_epoch_and_producer_fields()
    {
        var log = new CompactedLog(_dir.Path);
        var options = new RecordBatchOptions { ProducerId = 7, ProducerEpoch = 2, BaseSequence = 100 };
        var baseOffset = log.Append([(CompactedLog.Key(1), "old"), (CompactedLog.Key(2), "kept"), (CompactedLog.Key(3), "old")], options: options);
        log.Append([(CompactedLog.Key(1), "new"), (CompactedLog.Key(3), "new")], options: options with { BaseSequence = 103 });

        log.RollAndClean();

        var first = RecordBatchHeader.Read(TestBatches.ReadAll(log.Log)[0].Bytes);
        Assert.Equal(baseOffset, first.BaseOffset);
        Assert.Equal(2, first.LastOffsetDelta);
        Assert.Equal(1, first.RecordsCount);
        Assert.Equal((7L, (short)2, 100), (first.ProducerId, first.ProducerEpoch, first.BaseSequence));
        Assert.True(RecordBatchValidator.Validate(TestBatches.ReadAll(log.Log)[0].Bytes, requireDenseOffsets: false).IsValid);
    }

    [Fact]
    public void A_producers_last_batch_stays_empty_when_all_its_records_go_and_its_older_batches_are_dropped()
    {
        var log = new CompactedLog(_dir.Path);
        var producer = new RecordBatchOptions { ProducerId = 7, ProducerEpoch = 1, BaseSequence = 0 };
        var older = log.Append([(CompactedLog.Key(1), "a"), (CompactedLog.Key(2), "a")], options: producer);
        var last = log.Append([(CompactedLog.Key(1), "b"), (CompactedLog.Key(2), "b")], options: producer with { BaseSequence = 2 });
        log.Append([(CompactedLog.Key(1), "plain"), (CompactedLog.Key(2), "plain")]);

        log.RollAndClean();

        var headers = TestBatches.ReadAll(log.Log).Select(b => RecordBatchHeader.Read(b.Bytes)).ToList();
        Assert.DoesNotContain(headers, h => h.BaseOffset == older);
        var kept = Assert.Single(headers, h => h.BaseOffset == last);
        Assert.Equal((0, 1, 7L, (short)1, 2), (kept.RecordsCount, kept.LastOffsetDelta, kept.ProducerId, kept.ProducerEpoch, kept.BaseSequence));
        Assert.Equal(["plain", "plain"], CompactedLog.ReadRecords(log.Log).Select(r => CompactedLog.Text(r.Value)));
    }

    [Fact]
    public void A_lookup_by_time_passes_over_a_batch_the_cleaner_emptied()
    {
        var log = new CompactedLog(_dir.Path, segmentBytes: 1 << 20);
        log.Append([(CompactedLog.Key(1), "old")], timestamp: 1000);
        log.Append([(CompactedLog.Key(2), "emptied")], timestamp: 2000, options: new RecordBatchOptions { ProducerId = 7, ProducerEpoch = 0, BaseSequence = 0 });
        var answer = log.Append([(CompactedLog.Key(2), "newer")], timestamp: 3000);
        log.RollAndClean();

        var found = log.Log.OffsetForTimestamp(1500);

        Assert.Contains(TestBatches.ReadAll(log.Log), b => RecordBatchHeader.Read(b.Bytes).RecordsCount == 0);
        Assert.Equal((answer, 3000L), found);
    }

    private static readonly RecordBatchOptions Transaction = new() { ProducerId = 9, ProducerEpoch = 0, BaseSequence = 0, Transactional = true };

    private void EndTransaction(CompactedLog log, ControlRecordType type) =>
        log.Log.Append(RecordBatchBuilder.Build(Transaction with { Control = true },
            [new Record(0, TestBatches.BaseTimestamp, ControlRecord.Key(type), ControlRecord.Value(0), [])]));

    private static List<RecordBatchHeader> Markers(CompactedLog log) =>
        [.. TestBatches.ReadAll(log.Log).Select(b => RecordBatchHeader.Read(b.Bytes)).Where(h => h.IsControl)];

    [Fact]
    public void Aborted_data_is_removed_without_hiding_older_values_and_its_marker_goes_after_its_horizon()
    {
        var log = new CompactedLog(_dir.Path);
        log.Append([(CompactedLog.Key(1), "committed")]);
        log.Append([(CompactedLog.Key(1), "aborted"), (CompactedLog.Key(2), "aborted")], options: Transaction);
        EndTransaction(log, ControlRecordType.Abort);

        log.RollAndClean(nowMs: CompactedLog.Now, deleteRetentionMs: 1000);
        var afterFirst = CompactedLog.ReadDataRecords(log.Log);
        var stampedMarker = Assert.Single(Markers(log));
        log.Append([(CompactedLog.Key(3), "more")]);
        log.RollAndClean(nowMs: CompactedLog.Now + 1000, deleteRetentionMs: 1000);

        Assert.Equal(["committed"], afterFirst.Select(r => CompactedLog.Text(r.Value)));
        Assert.True(stampedMarker.HasDeleteHorizon);
        Assert.Equal(CompactedLog.Now + 1000, stampedMarker.BaseTimestamp);
        Assert.Empty(Markers(log));
        Assert.Equal(["committed", "more"], CompactedLog.ReadDataRecords(log.Log).Select(r => CompactedLog.Text(r.Value)));
    }

    [Fact]
    public void Committed_data_is_cleaned_like_any_other_and_its_marker_stays_while_some_of_it_does()
    {
        var log = new CompactedLog(_dir.Path);
        log.Append([(CompactedLog.Key(1), "plain")]);
        log.Append([(CompactedLog.Key(1), "in transaction"), (CompactedLog.Key(2), "in transaction")], options: Transaction);
        EndTransaction(log, ControlRecordType.Commit);
        log.Append([(CompactedLog.Key(2), "after")]);

        log.RollAndClean(nowMs: CompactedLog.Now, deleteRetentionMs: 0);

        var batches = TestBatches.ReadAll(log.Log).Select(b => (Header: RecordBatchHeader.Read(b.Bytes), Records: RecordBatchReader.ReadRecords(b.Bytes))).ToList();
        var transactional = Assert.Single(batches, b => b.Header.IsTransactional && !b.Header.IsControl);
        Assert.Equal(["in transaction"], transactional.Records.Select(r => CompactedLog.Text(r.Value)));
        Assert.Single(batches, b => b.Header.IsControl && !b.Header.HasDeleteHorizon);
        Assert.Equal(["in transaction", "after"], batches.Where(b => !b.Header.IsControl).SelectMany(b => b.Records).Select(r => CompactedLog.Text(r.Value)));
    }

    [Fact]
    public void An_open_transaction_stops_the_cleaning_before_its_first_batch()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 5, rounds: 4);
        var open = log.Append([(CompactedLog.Key(1), "open")], options: Transaction);
        log.Log.Roll();
        log.AppendRounds(keys: 5, rounds: 4);

        var result = log.RollAndClean();

        Assert.True(result.Cleaned);
        Assert.Equal(open, result.EndOffset);
        var records = CompactedLog.ReadRecords(log.Log);
        Assert.Equal(5 + 1 + 20, records.Count); // the part before the transaction is clean, the rest waits
    }

    [Fact]
    public void A_full_key_map_cleans_up_to_where_it_stopped_and_the_next_cleaning_goes_on()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 200, rounds: 3);
        const long smallMap = 24 * 100; // 90 keys

        var first = log.RollAndClean(mapBytes: smallMap);
        var second = log.Clean(mapBytes: smallMap, firstDirty: first.EndOffset);
        var offset = second.EndOffset;
        for (var i = 0; i < 20 && offset < log.Log.LogEndOffset; i++)
        {
            offset = log.Clean(mapBytes: smallMap, firstDirty: offset).EndOffset;
        }
        var final = log.Clean(firstDirty: -1); // one full pass with a large map settles every key

        Assert.InRange(first.EndOffset, 1, log.Log.LogEndOffset - 1);
        Assert.True(second.EndOffset > first.EndOffset);
        Assert.True(final.Cleaned);
        var records = CompactedLog.ReadRecords(log.Log);
        Assert.Equal(200, records.Count);
        Assert.All(records, r => Assert.Equal(log.Latest[CompactedLog.Text(r.Key)].Value, CompactedLog.Text(r.Value)));
    }

    [Fact]
    public void A_reader_holding_a_replaced_segment_still_reads_it()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 20);
        var region = log.Log.Read(0, 512);

        log.RollAndClean();

        var bytes = region.ToArray();
        Assert.Equal(0, RecordBatchHeader.Read(bytes).BaseOffset);
        Assert.Equal("v0-0", CompactedLog.Text(RecordBatchReader.ReadRecords(bytes)[0].Value));
    }

    [Fact]
    public void Readers_of_two_generations_replaced_at_the_same_base_offset_each_read_their_own_bytes()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 20);
        var original = log.Log.Read(0, 512);
        var originalBytes = original.ToArray();
        var first = log.RollAndClean();
        var cleaned = log.Log.Read(0, 512);
        var cleanedBytes = cleaned.ToArray();
        log.Append([(CompactedLog.Key(1), "newest")]);

        log.RollAndClean(firstDirty: first.EndOffset);

        Assert.NotEqual(originalBytes, cleanedBytes);
        Assert.Equal(originalBytes, original.ToArray());
        Assert.Equal(cleanedBytes, cleaned.ToArray());
    }

    [Fact]
    public void A_swap_whose_segments_retention_deleted_meanwhile_changes_nothing()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 10, rounds: 20);
        log.Log.Roll();
        var replaced = log.Log.Segments.Take(2).ToList();
        var cleaned = Storage.Segments.LogSegment.CreateWithSuffix(log.Log.Directory, replaced[0].BaseOffset, log.Log.Config, TestBatches.Cache(), SegmentSwap.CleanedSuffix);
        cleaned.Trim();
        log.Log.IncreaseLogStartOffset(replaced[1].BaseOffset); // retention takes the first segment

        var swapped = log.Log.ReplaceSegments(replaced, cleaned);

        Assert.False(swapped);
        Assert.Equal(replaced[1], log.Log.Segments[0]);
        Assert.True(File.Exists(cleaned.LogFile.Path)); // still ".cleaned": the cleaner deletes it, a restart would too
        Assert.EndsWith(SegmentSwap.CleanedSuffix, cleaned.LogFile.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cleaned_log_reopens_after_a_clean_shutdown_and_after_a_crash()
    {
        var log = new CompactedLog(_dir.Path);
        log.AppendRounds(keys: 40, rounds: 10);
        log.RollAndClean();
        var expected = TestBatches.ReadAll(log.Log).Select(b => b.Bytes).ToList();
        log.Log.Close();

        var clean = PartitionLog.Open(log.Log.Partition, log.Log.Directory, log.Log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = true, RecoveryPoint = log.Log.LogEndOffset });
        var cleanRead = TestBatches.ReadAll(clean).Select(b => b.Bytes).ToList();
        var crashed = PartitionLog.Open(log.Log.Partition, log.Log.Directory, log.Log.Config, TestBatches.Cache(), new LogOpenOptions { CleanShutdown = false });

        Assert.Equal(expected, cleanRead);
        Assert.Equal(expected, TestBatches.ReadAll(crashed).Select(b => b.Bytes));
        Assert.Equal(log.Log.LogEndOffset, crashed.LogEndOffset);
    }
}
