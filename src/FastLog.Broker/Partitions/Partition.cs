using FastLog.Storage;

namespace FastLog.Broker.Partitions;

/// <summary>
/// A partition this broker leads: its log, its high watermark, and the fetches waiting for it to move (the
/// purgatory's watch list for this partition; their deadlines are on the purgatory's timer wheel). On one node the
/// in-sync replica set is the leader alone, so the high watermark follows the log end offset once an append is
/// durable.
/// </summary>
public sealed class Partition
{
    /// <summary>The leader epoch stamped into appended batches; one node never changes leader.</summary>
    public const int LeaderEpoch = 0;

    /// <summary>Ended watches worth a pass over the list to drop them (when also more than the live ones).</summary>
    private const int MinEndedWatchesToDrop = 64;

    private readonly Lock _highWatermarkLock = new();
    private List<WatchEntry> _watchers = []; // fetches waiting for the next move, called once and dropped by it
    private List<WatchEntry>? _spareWatchers; // the list called last time, reused: waking the fetches allocates nothing
    private int _endedWatches; // Unwatch calls since the ended watches were last dropped

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
    /// Calls <paramref name="watcher"/> with <paramref name="token"/> when the high watermark next moves past
    /// <paramref name="observedHighWatermark"/> (what the watcher's fetch read). False, and no watch, when it already
    /// has: the move between the fetch's read and this call is not missed, the fetch reads again instead.
    /// </summary>
    public bool Watch(IAppendWatcher watcher, long token, long observedHighWatermark)
    {
        lock (_highWatermarkLock)
        {
            if (Log.HighWatermark != observedHighWatermark)
            {
                return false;
            }
            _watchers.Add(new WatchEntry(watcher, token));
            return true;
        }
    }

    /// <summary>
    /// Ends a watch that was not called (its fetch was answered by another partition, expired or was cancelled), so
    /// a partition that sees no appends keeps no list of long-gone fetches. Not searched for: with thousands of idle
    /// fetches on one partition a search per ended wait would cost the square of their number; ended watches are
    /// dropped in one pass once they outnumber the live ones (a watcher ignores a call for a wait it ended).
    /// </summary>
    public void Unwatch(IAppendWatcher watcher, long token)
    {
        lock (_highWatermarkLock)
        {
            if (++_endedWatches > Math.Max(MinEndedWatchesToDrop, _watchers.Count / 2))
            {
                _watchers.RemoveAll(static watch => !watch.Watcher.IsWatching(watch.Token));
                _endedWatches = 0;
            }
        }
    }

    /// <summary>Watches in the list, live or ended but not yet dropped.</summary>
    internal int WatchCount
    {
        get
        {
            lock (_highWatermarkLock)
            {
                return _watchers.Count;
            }
        }
    }

    /// <summary>
    /// Moves the high watermark up to <paramref name="durableEnd"/> (what a flush made durable, never more)
    /// and wakes the waiting fetches.
    /// </summary>
    public void AdvanceHighWatermark(long durableEnd)
    {
        List<WatchEntry> called;
        lock (_highWatermarkLock)
        {
            if (durableEnd <= Log.HighWatermark)
            {
                return;
            }
            Log.HighWatermark = durableEnd;
            if (_watchers.Count == 0)
            {
                return;
            }
            // The watches are taken whole and the lists swapped: the watchers are called outside the lock, and
            // a watcher that watches again lands in the fresh list.
            called = _watchers;
            _watchers = _spareWatchers ?? [];
            _spareWatchers = null;
        }
        foreach (var watch in called)
        {
            watch.Watcher.Appended(watch.Token);
        }
        called.Clear();
        lock (_highWatermarkLock)
        {
            _spareWatchers ??= called;
        }
    }

    private readonly record struct WatchEntry(IAppendWatcher Watcher, long Token);
}
