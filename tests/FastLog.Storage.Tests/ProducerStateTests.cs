using FastLog.Protocol.Records;
using FastLog.Storage.Producers;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Storage.Tests;

/// <summary>
/// Idempotent producers in one partition: Kafka's epoch and sequence rules on append, duplicates answered
/// with their original offsets, and the state surviving clean and unclean restarts, truncation and deletion.
/// </summary>
public sealed class ProducerStateTests : IDisposable
{
    private const long ProducerId = 4000;
    private static readonly TopicPartition Partition = new("payments", 0);
    private readonly TempDirectory _dir = new();
    private readonly ManualTime _time = new(DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000));
    private readonly List<string> _lines = [];

    public void Dispose() => _dir.Dispose();

    /// <summary>An idempotent batch of <paramref name="records"/> records, 300 bytes each (a few batches fill a small segment).</summary>
    private byte[] Batch(int baseSequence, short epoch = 0, int records = 3, long producerId = ProducerId) =>
        RecordBatchBuilder.BuildDense(
            new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence },
            [.. Enumerable.Range(0, records).Select(i => Record.Create(null, new byte[300], _time.GetUtcNow().ToUnixTimeMilliseconds() + i))]);

    private PartitionLog Create(int segmentBytes = 1 << 20) =>
        PartitionLog.Create(Partition, _dir.Path, TestBatches.SmallSegments(segmentBytes), TestBatches.Cache(), _time);

    private PartitionLog Reopen(PartitionLog log, bool clean) =>
        PartitionLog.Open(Partition, log.Directory, log.Config, TestBatches.Cache(), new LogOpenOptions
        {
            CleanShutdown = clean,
            RecoveryPoint = clean ? log.LogEndOffset : 0,
            Time = _time,
            Log = _lines.Add,
        });

    /// <summary>Appends batches of three records from sequence 0 on; batch i gets offset 3i.</summary>
    private PartitionLog WithBatches(int count, int segmentBytes = 1 << 20)
    {
        var log = Create(segmentBytes);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(AppendResult.Appended(3 * i), log.TryAppend(Batch(3 * i)));
        }
        return log;
    }

    private List<long> Snapshots(PartitionLog log) => ProducerSnapshotFile.List(log.Directory);

    [Fact]
    public void A_producer_the_partition_has_no_state_for_is_accepted_at_any_sequence()
    {
        var log = Create();

        var result = log.TryAppend(Batch(baseSequence: 42));

        Assert.Equal(AppendResult.Appended(0), result);
        Assert.Equal(44, log.ProducerState.Get(ProducerId)!.LastSequence);
    }

    [Fact]
    public void The_next_sequence_is_appended_after_the_last()
    {
        var log = WithBatches(1);

        var result = log.TryAppend(Batch(baseSequence: 3, records: 2));

        Assert.Equal(AppendResult.Appended(3), result);
        Assert.Equal(5, log.LogEndOffset);
    }

    [Fact]
    public void A_sequence_gap_is_refused_as_out_of_order_and_nothing_is_written()
    {
        var log = WithBatches(2);

        var result = log.TryAppend(Batch(baseSequence: 9));

        Assert.Equal(AppendStatus.OutOfOrderSequence, result.Status);
        Assert.Equal(6, log.LogEndOffset);
        Assert.Equal(5, log.ProducerState.Get(ProducerId)!.LastSequence);
    }

    [Fact]
    public void An_older_epoch_is_refused_as_invalid_producer_epoch()
    {
        var log = Create();
        log.TryAppend(Batch(0, epoch: 3));

        var result = log.TryAppend(Batch(3, epoch: 2));

        Assert.Equal(AppendStatus.InvalidProducerEpoch, result.Status);
        Assert.Equal(3, log.LogEndOffset);
    }

    [Fact]
    public void A_new_epoch_must_start_at_sequence_zero_and_then_fences_the_old_one()
    {
        var log = WithBatches(2);

        var notFromZero = log.TryAppend(Batch(6, epoch: 1));
        var fromZero = log.TryAppend(Batch(0, epoch: 1));
        var oldEpoch = log.TryAppend(Batch(6, epoch: 0));

        Assert.Equal(AppendStatus.OutOfOrderSequence, notFromZero.Status);
        Assert.Equal(AppendResult.Appended(6), fromZero);
        Assert.Equal(AppendStatus.InvalidProducerEpoch, oldEpoch.Status);
        Assert.Equal(1, log.ProducerState.Get(ProducerId)!.Epoch);
    }

    [Fact]
    public void A_retry_of_one_of_the_last_five_batches_is_not_written_and_gets_its_original_offset()
    {
        var log = WithBatches(6);

        var newest = log.TryAppend(Batch(15));
        var oldestRetained = log.TryAppend(Batch(3));
        var forgotten = log.TryAppend(Batch(0));

        Assert.Equal(new AppendResult(AppendStatus.Duplicate, 15, log.ProducerState.Get(ProducerId)!.LastTimestamp), newest);
        Assert.Equal((AppendStatus.Duplicate, 3L), (oldestRetained.Status, oldestRetained.BaseOffset));
        Assert.Equal(AppendStatus.OutOfOrderSequence, forgotten.Status); // older than the five Kafka remembers
        Assert.Equal(18, log.LogEndOffset);
        Assert.Equal(6, TestBatches.ReadAll(log).Count);
    }

    [Fact]
    public void A_batch_with_the_same_first_sequence_but_another_length_is_not_a_duplicate()
    {
        var log = WithBatches(2);

        var result = log.TryAppend(Batch(3, records: 2));

        Assert.Equal(AppendStatus.OutOfOrderSequence, result.Status);
    }

    [Fact]
    public void Sequences_wrap_from_int_max_value_to_zero()
    {
        var log = Create();
        log.TryAppend(Batch(int.MaxValue - 1, records: 3)); // records int.MaxValue - 1, int.MaxValue, 0

        var next = log.TryAppend(Batch(1));
        var retry = log.TryAppend(Batch(int.MaxValue - 1, records: 3));

        Assert.Equal(AppendResult.Appended(3), next);
        Assert.Equal((AppendStatus.Duplicate, 0L), (retry.Status, retry.BaseOffset));
        Assert.Equal(0, ProducerSequence.Last(int.MaxValue - 1, 2));
        Assert.True(ProducerSequence.Follows(int.MaxValue, 0));
    }

    [Fact]
    public void Racing_retries_of_one_batch_from_many_connections_are_written_once()
    {
        var log = WithBatches(1);
        var copies = Enumerable.Range(0, 8).Select(_ => Batch(3)).ToList();
        var results = new AppendResult[copies.Count];
        using var start = new Barrier(copies.Count);
        var threads = copies.Select((copy, i) => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = log.TryAppend(copy);
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Single(results, r => r.Status == AppendStatus.Appended);
        Assert.All(results, r => Assert.Equal(3, r.BaseOffset));
        Assert.Equal(6, log.LogEndOffset);
    }

    [Fact]
    public void Batches_without_a_producer_id_are_never_checked()
    {
        var log = Create();

        log.Append(TestBatches.Make(2));
        log.Append(TestBatches.Make(2));

        Assert.Equal(4, log.LogEndOffset);
        Assert.Equal(0, log.ProducerState.Count);
    }

    [Fact]
    public void The_snapshot_file_round_trips_every_retained_batch_of_every_producer()
    {
        var state = new ProducerStateManager(_dir.Path, 86_400_000);
        for (var i = 0; i < 7; i++)
        {
            state.Update(Header(1, 5, 10 * i, 9), 100 * i, 1_000 + i);
        }
        state.Update(Header(2, 0, int.MaxValue - 1, 4), 5_000, 2_000); // sequences wrap inside the batch
        state.Update(Header(3, 7, 0, 0), 6_000, 3_000);

        ProducerSnapshotFile.Write(_dir.Path, 7_000, state.Producers, durable: true);
        var read = new Dictionary<long, ProducerStateEntry>();
        ProducerSnapshotFile.Read(ProducerSnapshotFile.PathFor(_dir.Path, 7_000), read);

        Assert.Equal(Describe(state.Producers), Describe(read.Values));
        Assert.Equal(5, read[1].Batches.Length);
        Assert.Equal(new BatchMetadata(int.MaxValue - 1, 2, 5_000, 5_004, 2_000), read[2].Batches[0]);
    }

    private static RecordBatchHeader Header(long producerId, short epoch, int baseSequence, int lastOffsetDelta) => RecordBatchHeader.Read(
        RecordBatchBuilder.BuildDense(
            new RecordBatchOptions { ProducerId = producerId, ProducerEpoch = epoch, BaseSequence = baseSequence },
            [.. Enumerable.Range(0, lastOffsetDelta + 1).Select(i => Record.Create(null, new byte[1], i))]));

    [Fact]
    public void Roll_and_close_write_snapshots_and_keep_the_newest_two()
    {
        var log = WithBatches(12, segmentBytes: 4096);
        var rolls = log.Segments.Count - 1;

        log.Close();

        Assert.True(rolls >= 2, $"only {rolls} rolls");
        Assert.Equal([log.Segments[^1].BaseOffset, log.LogEndOffset], Snapshots(log));
    }

    [Fact]
    public void After_a_clean_restart_the_snapshot_restores_the_state_without_replay()
    {
        var log = WithBatches(8, segmentBytes: 4096);
        log.TryAppend(Batch(0, producerId: 77));
        var before = Describe(log);
        log.Close();

        var reopened = Reopen(log, clean: true);

        Assert.Equal(before, Describe(reopened));
        Assert.Equal((AppendStatus.Duplicate, 21L), Outcome(reopened.TryAppend(Batch(21))));
        Assert.Equal(AppendStatus.OutOfOrderSequence, reopened.TryAppend(Batch(30)).Status);
        Assert.Equal(AppendResult.Appended(27), reopened.TryAppend(Batch(24)));
    }

    [Fact]
    public void After_a_crash_the_state_is_rebuilt_from_the_last_snapshot_and_the_log_after_it()
    {
        var log = WithBatches(10, segmentBytes: 4096);
        log.TryAppend(Batch(0, epoch: 2, producerId: 77));
        log.Flush();
        var before = Describe(log);
        Assert.True(Snapshots(log)[^1] < log.LogEndOffset - 3, "the newest batches must lie after the last snapshot");

        var reopened = Reopen(log, clean: false); // no close: no snapshot of the tail

        Assert.Equal(before, Describe(reopened));
        Assert.Equal((AppendStatus.Duplicate, 27L), Outcome(reopened.TryAppend(Batch(27))));
        Assert.Equal((AppendStatus.Duplicate, 15L), Outcome(reopened.TryAppend(Batch(15))));
        Assert.Equal(AppendStatus.InvalidProducerEpoch, reopened.TryAppend(Batch(3, epoch: 1, producerId: 77)).Status);
        Assert.Equal(AppendResult.Appended(33), reopened.TryAppend(Batch(30)));
    }

    [Fact]
    public void Without_any_snapshot_the_last_segments_are_replayed()
    {
        var log = WithBatches(6, segmentBytes: 4096);
        log.Flush();
        foreach (var offset in Snapshots(log))
        {
            File.Delete(ProducerSnapshotFile.PathFor(log.Directory, offset));
        }

        var reopened = Reopen(log, clean: false);

        Assert.Equal((AppendStatus.Duplicate, 15L), Outcome(reopened.TryAppend(Batch(15))));
        Assert.Equal(AppendResult.Appended(18), reopened.TryAppend(Batch(18)));
    }

    [Fact]
    public void A_corrupt_snapshot_is_reported_deleted_and_the_state_still_rebuilt()
    {
        var log = WithBatches(10, segmentBytes: 4096);
        var before = Describe(log);
        log.Close();
        var newest = ProducerSnapshotFile.PathFor(log.Directory, Snapshots(log)[^1]);
        var bytes = File.ReadAllBytes(newest);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(newest, bytes);

        var reopened = Reopen(log, clean: true);

        Assert.Equal(before, Describe(reopened));
        Assert.Contains(_lines, l => l.Contains("producer snapshot unreadable", StringComparison.Ordinal) && l.Contains("CRC-32C", StringComparison.Ordinal));
        Assert.False(File.Exists(newest));
    }

    [Fact]
    public void Truncation_forgets_the_batches_above_the_cut_and_the_snapshots_there()
    {
        var log = WithBatches(10, segmentBytes: 4096);
        var cut = Snapshots(log)[0] - 3; // below every snapshot: the state is rebuilt from the log alone

        log.TruncateTo(cut);

        Assert.All(Snapshots(log), s => Assert.True(s <= cut));
        Assert.Equal(cut - 1, log.ProducerState.Get(ProducerId)!.LastSequence);
        Assert.Equal((AppendStatus.Duplicate, cut - 3), Outcome(log.TryAppend(Batch((int)cut - 3))));
        Assert.Equal(AppendResult.Appended(cut), log.TryAppend(Batch((int)cut))); // written again: the first copy is gone
    }

    [Fact]
    public void Truncating_everything_forgets_every_producer()
    {
        var log = WithBatches(3);

        log.TruncateTo(0);

        Assert.Equal(0, log.ProducerState.Count);
        Assert.Equal(AppendResult.Appended(0), log.TryAppend(Batch(6)));
    }

    [Fact]
    public void Producers_idle_past_the_expiration_are_forgotten_at_load_and_recent_ones_kept()
    {
        var log = WithBatches(2);
        _time.Advance(TimeSpan.FromHours(20));
        log.TryAppend(Batch(0, producerId: 77));
        log.Close();
        _time.Advance(TimeSpan.FromHours(5)); // producer 4000 idle 25 h, producer 77 idle 5 h

        var reopened = Reopen(log, clean: true);

        Assert.Null(reopened.ProducerState.Get(ProducerId));
        Assert.NotNull(reopened.ProducerState.Get(77));
        Assert.Equal(AppendResult.Appended(9), reopened.TryAppend(Batch(50))); // unknown again: any sequence
    }

    [Fact]
    public void Raising_the_log_start_keeps_the_state_and_a_snapshot_a_crash_can_use()
    {
        var log = WithBatches(10, segmentBytes: 4096);

        log.IncreaseLogStartOffset(log.LogEndOffset);
        log.Flush();
        var reopened = Reopen(log, clean: false);

        Assert.All(Snapshots(log), s => Assert.True(s >= log.Segments[0].BaseOffset));
        Assert.Equal((AppendStatus.Duplicate, 27L), Outcome(log.TryAppend(Batch(27))));
        Assert.Equal((AppendStatus.Duplicate, 27L), Outcome(reopened.TryAppend(Batch(27))));
        Assert.Equal(AppendResult.Appended(30), reopened.TryAppend(Batch(30)));
    }

    private static (AppendStatus, long) Outcome(AppendResult result) => (result.Status, result.BaseOffset);

    /// <summary>The producer state as text (sequences and offsets; replay stamps its own times), for before/after comparisons.</summary>
    private static string Describe(PartitionLog log) => Describe(log.ProducerState.Producers, withTimestamps: false);

    private static string Describe(IEnumerable<ProducerStateEntry> producers, bool withTimestamps = true) => string.Join('\n', producers
        .OrderBy(p => p.ProducerId)
        .Select(p => $"{p.ProducerId}@{p.Epoch}: " + string.Join(' ', p.Batches.ToArray()
            .Select(b => $"[{b.FirstSequence}-{b.LastSequence} @{b.FirstOffset}-{b.LastOffset}{(withTimestamps ? $" t{b.Timestamp}" : "")}]"))));
}
