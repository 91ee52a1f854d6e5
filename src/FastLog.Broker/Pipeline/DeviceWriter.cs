using System.Buffers.Binary;
using System.Diagnostics;
using FastLog.Broker.Metrics;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;
using FastLog.Protocol.Records;
using FastLog.Storage;

namespace FastLog.Broker.Pipeline;

/// <summary>
/// The writer of one device's ring: takes every entry of a pass into its partition's log (offsets assigned,
/// producer state checked; the bytes deferred), then per partition the pass touched writes them with one
/// gathering write (pwritev), flushes once, moves the high watermark, and completes every waiting request of the
/// pass. One write and one fdatasync per partition per pass instead of one of each per request is the group
/// commit. Partitions whose flush.policy is not per-batch are not flushed here. A partition whose write or
/// flush fails fails all of its requests of the pass with KAFKA_STORAGE_ERROR; other partitions are answered.
/// </summary>
public struct DeviceWriter(LatencyHistogram passTime, LatencyHistogram flushTime) : IBatchHandler<AppendEntry>
{
    /// <summary>
    /// A pass with at most this many requests answers them on the writer thread: the answer costs tens of µs, a
    /// hand-off to another thread as much and a wait for a free core more. Larger passes hand them off so the
    /// next pass (and its flush) is not delayed by many answers.
    /// </summary>
    private const int MaxInlineCompletions = 2;

    private readonly List<(AppendCompletion Completion, Partition Partition, AppendOutcome Outcome)> _completions = [];
    private readonly HashSet<Partition> _touched = [];
    private readonly HashSet<Partition> _failed = [];
    private long _passStart;

    public void OnEvent(AppendEntry entry, long sequence, bool endOfBatch)
    {
        if (_passStart == 0)
        {
            _passStart = Stopwatch.GetTimestamp();
        }
        if (entry.Partition is { } partition)
        {
            AppendOutcome outcome;
            try
            {
                outcome = Append(partition, entry);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                // A failed write must not stop the device's writer: the request gets KAFKA_STORAGE_ERROR.
                outcome = new AppendOutcome(null, ErrorCode.KafkaStorageError, partition.LogStartOffset);
            }
            _completions.Add((entry.Completion!, partition, outcome));
            _touched.Add(partition);
        }
        entry.Clear();
        if (!endOfBatch)
        {
            return;
        }
        var flushStart = Stopwatch.GetTimestamp();
        foreach (var touched in _touched)
        {
            try
            {
                // per-batch: acknowledged once on disk. interval and none: acknowledged from the page cache
                // (the log flusher or the operating system writes it back), the promise the topic chose.
                var log = touched.Log;
                log.WriteDeferred();
                touched.AdvanceHighWatermark(log.Config.FlushPolicy == LogFlushPolicy.PerBatch ? log.Flush() : log.LogEndOffset);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                _failed.Add(touched); // nothing of this partition's pass may be acknowledged as durable
            }
        }
        flushTime.RecordSince(flushStart);
        var inline = _completions.Count <= MaxInlineCompletions;
        foreach (var (completion, answered, pending) in _completions)
        {
            var outcome = _failed.Contains(answered) ? pending with { Error = ErrorCode.KafkaStorageError, First = null } : pending;
            if (inline)
            {
                completion.Complete(outcome);
            }
            else
            {
                completion.CompleteElsewhere(outcome);
            }
        }
        _failed.Clear();
        _touched.Clear();
        _completions.Clear();
        passTime.RecordSince(_passStart);
        _passStart = 0;
    }

    private static AppendOutcome Append(Partition partition, AppendEntry entry)
    {
        AppendResult? first = null;
        var span = entry.Records.Span;
        for (var position = 0; position < span.Length;)
        {
            var size = RecordBatchHeader.ReadBatchLength(span[position..]) + RecordBatchLayout.LogOverhead;
            var batch = span.Slice(position, size);
            if (entry.LogAppendTime)
            {
                StampLogAppendTime(batch, entry.NowMs);
            }
            var appended = partition.Log.TryAppendDeferred(entry.Records.Slice(position, size), Partition.LeaderEpoch);
            if (!appended.IsSuccess)
            {
                // Kafka allows one batch per partition from v3 on; with several, those before stay written.
                var error = appended.Status == AppendStatus.InvalidProducerEpoch ? ErrorCode.InvalidProducerEpoch : ErrorCode.OutOfOrderSequenceNumber;
                return new AppendOutcome(first, error, partition.LogStartOffset);
            }
            first ??= appended;
            position += size;
        }
        return new AppendOutcome(first, ErrorCode.None, partition.LogStartOffset);
    }

    /// <summary>LogAppendTime: the broker's clock becomes the batch's max timestamp; attributes change, so does the CRC.</summary>
    private static void StampLogAppendTime(Span<byte> batch, long now)
    {
        var attributes = BinaryPrimitives.ReadInt16BigEndian(batch[RecordBatchLayout.Attributes..]);
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchLayout.Attributes..], (short)(attributes | RecordBatchAttributes.TimestampTypeLogAppendTime));
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchLayout.MaxTimestamp..], now);
        RecordBatchBuilder.RewriteCrc(batch);
    }
}
