using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using FastLog.Benchmarks.Support;
using FastLog.Storage;
using FastLog.Storage.Files;

namespace FastLog.Benchmarks.Append;

/// <summary>
/// The allocation check of the append path in its steady state: one operation is one append of a small batch,
/// with a flush after every MiB, into a log whose files are already open. The Allocated column must read 0 B:
/// anything else is garbage made per produced batch, which at broker rates turns into GC pauses.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class AppendAllocationBenchmarks
{
    private const int BatchBytes = 1024;
    private const int AppendsPerFlush = 1024 * 1024 / BatchBytes;

    private BenchDirectory _directory = null!;
    private PartitionLog _log = null!;
    private byte[] _batch = [];
    private int _appended;

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchDirectory.Create("append-allocations");
        _batch = BatchFactory.Build(BatchBytes, recordBytes: 100);
        var config = new LogConfig { SegmentBytes = 1024 * 1024 * 1024 };
        _log = PartitionLog.Create(new TopicPartition("allocations", 0), _directory.Path, config, new FileCache(16));
        LogWarmUp.Run(_log, _batch);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Close();
        _directory.Delete();
    }

    [Benchmark]
    public long AppendWithFlushPerMiB()
    {
        var offset = _log.Append(_batch);
        if (++_appended % AppendsPerFlush == 0)
        {
            _log.Flush();
        }
        return offset;
    }

    /// <summary>
    /// A fixed number of appends per iteration: about 10 iterations of 4 MiB each stay far below the 1 GiB
    /// segment, so no roll (which opens new files, a one-off cost) falls inside the measurement.
    /// </summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithInvocationCount(4096)
            .WithUnrollFactor(16));
    }
}
