using FastLog.Benchmarks.Support;
using FastLog.Broker.Partitions;
using FastLog.Broker.Pipeline;
using FastLog.Broker.Profiles;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.Benchmarks.Pipeline;

/// <summary>
/// One partition behind the broker's own append pipeline (ring, device writer, group commit), without network:
/// what the produce handler does per partition, driven from benchmark threads.
/// </summary>
internal sealed class PipelineHarness : IDisposable
{
    private readonly BenchDirectory _directory;

    public PipelineHarness(string name, string waitStrategy, int prepareAheadBytes)
    {
        _directory = BenchDirectory.Create(name);
        var config = new LogConfig { SegmentBytes = 1024 * 1024 * 1024, Preallocation = SegmentPreallocation.Prepared, PrepareAheadBytes = prepareAheadBytes };
        var log = PartitionLog.Create(new TopicPartition(name, 0), _directory.Path, config, new FileCache(16));
        Pipeline = new AppendPipeline(name, new RingProfile { Size = 1024, WaitStrategy = waitStrategy, MaxBatchEntries = 1024 });
        Partition = new Partition(log.Partition, log) { Pipeline = Pipeline };
    }

    public AppendPipeline Pipeline { get; }
    public Partition Partition { get; }
    public string Directory => _directory.Path;

    /// <summary>Publishes one batch and returns what completes once the writer's pass with it is flushed.</summary>
    public AppendCompletion Publish(Memory<byte> batch)
    {
        var completion = AppendCompletion.Rent();
        var sequence = Pipeline.Claim();
        var entry = Pipeline.Ring[sequence];
        entry.Partition = Partition;
        entry.Records = batch;
        entry.NowMs = BatchFactory.Timestamp;
        entry.Completion = completion;
        Pipeline.Ring.Publish(sequence);
        return completion;
    }

    /// <summary>Waits until the preparer has zeroed <paramref name="bytes"/> ahead of the log end, as a pre-zeroed file would be.</summary>
    public void WaitPrepared(long bytes) => PreparedWindow.WaitFor(Partition.Log.ActiveSegment, bytes);

    public void Dispose()
    {
        Pipeline.Dispose();
        Partition.Log.Close();
        _directory.Delete();
    }
}
