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
    private int _appendedObserved; // 1 once NextAppend handed out the current signal: only then is a new one needed

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
            // A full fence: the flag is set before the signal is read, and the writer reads the flag after it
            // moved the high watermark, so either the writer sees the flag or the reader gets the signal after it.
            Interlocked.Exchange(ref _appendedObserved, 1);
            return Volatile.Read(ref _appended).Task;
        }
    }

    /// <summary>
    /// Moves the high watermark up to <paramref name="durableEnd"/> (what a flush made durable, never more)
    /// and wakes the waiting fetches.
    /// </summary>
    public void AdvanceHighWatermark(long durableEnd)
    {
        lock (_highWatermarkLock)
        {
            if (durableEnd <= Log.HighWatermark)
            {
                return;
            }
            Log.HighWatermark = durableEnd;
        }
        // A signal nobody took is left as it is: with no fetch waiting, an append costs no new signal.
        if (Interlocked.Exchange(ref _appendedObserved, 0) == 1)
        {
            Interlocked.Exchange(ref _appended, NewSignal()).TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
