using BenchmarkDotNet.Attributes;
using FastLog.Benchmarks.Configs;
using FastLog.Benchmarks.Support;
using FastLog.Storage;
using FastLog.Storage.Files;
using FastLog.Storage.Segments;

namespace FastLog.Benchmarks;

/// <summary>
/// The fetch path's lookups over one segment of about 100 MB: 100,000 batches of 1 KiB, ten records each, with
/// Kafka's default index interval of 4096 bytes. The baseline is a binary search over every batch's base offset
/// held in an array: the cost of a perfect in-memory index, which the mapped sparse index and the scans after it
/// are measured against. Every path here must allocate nothing per fetch.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CpuConfig))]
public class ReadBenchmarks
{
    private const int Batches = 100_000;
    private const int BatchBytes = 1024;
    private const int RecordsPerBatch = 10;
    private const int MaxFetchBytes = 1024 * 1024;

    /// <summary>Offsets are drawn ahead of time and taken in turn; a power of two keeps the turn a mask.</summary>
    private const int Targets = 4096;

    /// <summary>"Near the head": within the last 64 KiB of the log, where consumers that keep up read.</summary>
    private const int HeadBatches = 64;

    private BenchDirectory _directory = null!;
    private PartitionLog _log = null!;
    private LogSegment _segment = null!;
    private long[] _baseOffsets = [];
    private long[] _randomOffsets = [];
    private long[] _headOffsets = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchDirectory.Create("read");
        _log = PartitionLog.Create(new TopicPartition("read", 0), _directory.Path, new LogConfig(), new FileCache(16));
        var batch = BatchFactory.Build(BatchBytes, recordBytes: BatchBytes / RecordsPerBatch);
        _baseOffsets = new long[Batches];
        for (var i = 0; i < Batches; i++)
        {
            _baseOffsets[i] = _log.Append(batch);
        }
        _log.Flush();
        _segment = _log.ActiveSegment;
        if (_log.Segments.Count != 1)
        {
            throw new InvalidOperationException("the read benchmarks expect the whole log in one (active) segment");
        }

        var end = _log.LogEndOffset;
        var random = new Random(42);
        _randomOffsets = new long[Targets];
        _headOffsets = new long[Targets];
        for (var i = 0; i < Targets; i++)
        {
            _randomOffsets[i] = random.NextInt64(0, end);
            _headOffsets[i] = random.NextInt64(end - (HeadBatches * RecordsPerBatch), end);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Close();
        _directory.Delete();
    }

    [Benchmark(Baseline = true)]
    public int InMemoryBinarySearch()
    {
        var index = Array.BinarySearch(_baseOffsets, NextRandom());
        return index >= 0 ? index : ~index - 1;
    }

    [Benchmark]
    public int IndexLookupRandom() => _segment.OffsetIndex.Lookup(NextRandom()).Position;

    [Benchmark]
    public int FindBatchRandom() => _segment.FindBatch(NextRandom())?.Position ?? -1;

    /// <summary>A fetch of 1 MiB from a random offset: the lookup plus a walk over about a thousand batch headers.</summary>
    [Benchmark]
    public int ReadRandom1MiB() => _log.Read(NextRandom(), MaxFetchBytes).Length;

    [Benchmark]
    public int IndexLookupNearHead() => _segment.OffsetIndex.Lookup(NextHead()).Position;

    [Benchmark]
    public int ReadNearHead1MiB() => _log.Read(NextHead(), MaxFetchBytes).Length;

    private long NextRandom() => _randomOffsets[_next++ & (Targets - 1)];

    private long NextHead() => _headOffsets[_next++ & (Targets - 1)];
}
