using FastLog.Broker.Partitions;
using FastLog.Protocol.Records;
using Record = FastLog.Protocol.Records.Record;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.Broker.Tests.Partitions;

/// <summary>The signal fetch long polls wait on: taken before the high watermark is read, it misses no move.</summary>
public sealed class PartitionSignalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fastlog-signal-").FullName;
    private readonly PartitionLog _log;
    private readonly Partition _partition;

    public PartitionSignalTests()
    {
        _log = PartitionLog.Create(new TopicPartition("signal", 0), _dir, new LogConfig { Preallocation = SegmentPreallocation.None }, new FileCache(4));
        _partition = new Partition(new TopicPartition("signal", 0), _log);
        // Ten records past the high watermark (0): room for it to move.
        _log.Append(RecordBatchBuilder.BuildDense(new(), Enumerable.Range(0, 10).Select(i => Record.Create(null, new byte[10], 1_700_000_000_000 + i)).ToList()));
    }

    public void Dispose()
    {
        _log.Close();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_taken_signal_completes_when_the_high_watermark_moves()
    {
        var signal = _partition.NextAppend;
        Assert.False(signal.IsCompleted);

        _partition.AdvanceHighWatermark(1);

        await signal.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(_partition.NextAppend.IsCompleted); // the next one waits for the next move
    }

    [Fact]
    public async Task A_move_nobody_waited_for_does_not_complete_a_signal_taken_after_it()
    {
        _partition.AdvanceHighWatermark(1); // no fetch took the signal: it stays as it is

        var signal = _partition.NextAppend;

        Assert.False(signal.IsCompleted);
        _partition.AdvanceHighWatermark(2);
        await signal.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_move_that_does_not_raise_the_high_watermark_completes_nothing()
    {
        _partition.AdvanceHighWatermark(5);
        var signal = _partition.NextAppend;

        _partition.AdvanceHighWatermark(5);
        _partition.AdvanceHighWatermark(3);

        Assert.False(signal.IsCompleted);
        Assert.Equal(5, _partition.HighWatermark);
    }
}
