using System.Collections.Concurrent;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Records;
using Record = FastLog.Protocol.Records.Record;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.Broker.Tests.Partitions;

/// <summary>
/// The watches fetch long polls put on a partition: called once when the high watermark moves past what the fetch
/// saw, refused when it already has, and ended ones dropped before they pile up.
/// </summary>
public sealed class PartitionWatchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fastlog-watch-").FullName;
    private readonly PartitionLog _log;
    private readonly Partition _partition;

    public PartitionWatchTests()
    {
        _log = PartitionLog.Create(new TopicPartition("watch", 0), _dir, new LogConfig { Preallocation = SegmentPreallocation.None }, new FileCache(4));
        _partition = new Partition(new TopicPartition("watch", 0), _log);
        // Ten records past the high watermark (0): room for it to move.
        _log.Append(RecordBatchBuilder.BuildDense(new(), Enumerable.Range(0, 10).Select(i => Record.Create(null, new byte[10], 1_700_000_000_000 + i)).ToList()));
    }

    public void Dispose()
    {
        _log.Close();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_watch_is_called_once_with_its_token_when_the_high_watermark_moves()
    {
        var watcher = new RecordingWatcher();
        Assert.True(_partition.Watch(watcher, token: 7, observedHighWatermark: 0));

        _partition.AdvanceHighWatermark(1);
        _partition.AdvanceHighWatermark(2); // the watch was used up by the first move

        Assert.Equal([7L], watcher.Calls);
    }

    [Fact]
    public void A_watch_from_a_high_watermark_that_already_moved_is_refused_so_the_fetch_reads_again()
    {
        _partition.AdvanceHighWatermark(1);
        var watcher = new RecordingWatcher();

        Assert.False(_partition.Watch(watcher, token: 1, observedHighWatermark: 0));
        _partition.AdvanceHighWatermark(2);

        Assert.Empty(watcher.Calls);
    }

    [Fact]
    public void A_move_that_does_not_raise_the_high_watermark_calls_nothing()
    {
        _partition.AdvanceHighWatermark(5);
        var watcher = new RecordingWatcher();
        Assert.True(_partition.Watch(watcher, token: 1, observedHighWatermark: 5));

        _partition.AdvanceHighWatermark(5);
        _partition.AdvanceHighWatermark(3);

        Assert.Empty(watcher.Calls);
        Assert.Equal(5, _partition.HighWatermark);
    }

    [Fact]
    public void Ended_watches_are_dropped_once_they_outnumber_the_live_ones_and_the_live_ones_are_still_called()
    {
        var live = new RecordingWatcher();
        for (var token = 1; token <= 10; token++)
        {
            Assert.True(_partition.Watch(live, token, observedHighWatermark: 0));
        }
        // A thousand waits of idle fetches that ended (expired) without a move: their watches must not pile up.
        var ended = new RecordingWatcher { EndsEveryWait = true };
        for (var token = 1; token <= 1_000; token++)
        {
            Assert.True(_partition.Watch(ended, token, observedHighWatermark: 0));
            _partition.Unwatch(ended, token);
        }

        Assert.InRange(_partition.WatchCount, 10, 10 + 2 * 64);
        _partition.AdvanceHighWatermark(1);
        Assert.Equal(Enumerable.Range(1, 10).Select(t => (long)t), live.Calls.Order());
        Assert.Equal(0, _partition.WatchCount);
    }

    [Fact]
    public void A_watcher_that_watches_again_from_its_call_waits_for_the_next_move()
    {
        var watcher = new RewatchingWatcher(_partition);
        Assert.True(_partition.Watch(watcher, token: 1, observedHighWatermark: 0));

        _partition.AdvanceHighWatermark(1);
        Assert.Equal([1L], watcher.Calls);
        _partition.AdvanceHighWatermark(2);

        Assert.Equal([1L, 2L], watcher.Calls);
    }

    private sealed class RecordingWatcher : IAppendWatcher
    {
        private readonly ConcurrentQueue<long> _calls = new();

        /// <summary>Its waits end as soon as they are watched (fetches that expired): it watches none of its tokens.</summary>
        public bool EndsEveryWait { get; init; }

        public long[] Calls => [.. _calls];

        public void Appended(long token) => _calls.Enqueue(token);

        public bool IsWatching(long token) => !EndsEveryWait;
    }

    /// <summary>Watches again, under the next token, from within its call: it must land in the next move's list.</summary>
    private sealed class RewatchingWatcher(Partition partition) : IAppendWatcher
    {
        private readonly ConcurrentQueue<long> _calls = new();

        public long[] Calls => [.. _calls];

        public bool IsWatching(long token) => true;

        public void Appended(long token)
        {
            _calls.Enqueue(token);
            partition.Watch(this, token + 1, partition.HighWatermark);
        }
    }
}
