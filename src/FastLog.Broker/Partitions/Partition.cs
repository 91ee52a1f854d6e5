using FastLog.Storage;

namespace FastLog.Broker.Partitions;

/// <summary>
/// A partition this broker leads: its log, its high watermark, and the signal that wakes fetches waiting
/// for new data. On one node the in-sync replica set is the leader alone, so the high watermark follows the
/// log end offset once an append is durable.
/// </summary>
public sealed class Partition
{
    /// <summary>The leader epoch stamped into appended batches; one node never changes leader.</summary>
    public const int LeaderEpoch = 0;

    private readonly Lock _highWatermarkLock = new();
    private TaskCompletionSource _appended = NewSignal();
    private bool _appendedObserved; // NextAppend handed out the current signal: only then is a new one needed

    public Partition(TopicPartition id, PartitionLog log)
    {
        Id = id;
        Log = log;
        // The leader alone is the in-sync replica set: everything its log holds at start is committed.
        log.HighWatermark = log.LogEndOffset;
    }

    public TopicPartition Id { get; }
    public PartitionLog Log { get; }

    /// <summary>The append pipeline of the device the partition lives on; null for logs appended to directly.</summary>
    public Pipeline.AppendPipeline? Pipeline { get; init; }

    public long HighWatermark => Log.HighWatermark;
    public long LogStartOffset => Log.LogStartOffset;
    public long LogEndOffset => Log.LogEndOffset;

    /// <summary>
    /// Completes when the high watermark next moves; fetch long polls wait on it. Take it before reading the high
    /// watermark: a move between the two then completes it, instead of going unseen until the poll times out.
    /// </summary>
    public Task NextAppend
    {
        get
        {
            // Under the lock the high watermark moves under: a fetch that takes the signal before a move gets it
            // completed by that move, and one that takes it after reads the moved high watermark.
            lock (_highWatermarkLock)
            {
                _appendedObserved = true;
                return _appended.Task;
            }
        }
    }

    /// <summary>
    /// Moves the high watermark up to <paramref name="durableEnd"/> (what a flush made durable, never more)
    /// and wakes the waiting fetches.
    /// </summary>
    public void AdvanceHighWatermark(long durableEnd)
    {
        TaskCompletionSource? taken = null;
        lock (_highWatermarkLock)
        {
            if (durableEnd <= Log.HighWatermark)
            {
                return;
            }
            Log.HighWatermark = durableEnd;
            // A signal nobody took is left as it is: with no fetch waiting, an append costs no new signal.
            if (_appendedObserved)
            {
                taken = _appended;
                _appended = NewSignal();
                _appendedObserved = false;
            }
        }
        taken?.TrySetResult(); // outside the lock: waking the fetches is not the writer's to wait for
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
