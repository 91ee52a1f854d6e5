using System.Text;
using BenchmarkDotNet.Attributes;
using FastLog.Benchmarks.Configs;
using FastLog.Benchmarks.Support;
using FastLog.Protocol.Records;
using FastLog.Storage;
using FastLog.Storage.Cleaner;
using FastLog.Storage.Files;

namespace FastLog.Benchmarks.Cleaner;

/// <summary>
/// Cleaner throughput: one cleaning of a wholly dirty log of about 32 MiB (10,000 keys updated 25 times, records of
/// about 130 bytes in batches of 100, 8 MiB segments), against the baseline of reading the same segment files
/// sequentially and writing the same number of bytes to a new file, with one fdatasync at the end — the least any
/// cleaner must do with those bytes. Each iteration starts from a fresh copy of the log (made in its setup, not
/// measured). The MB/s column is dirty log bytes over the mean time, so the ratio of the two rows is the
/// cleaner's throughput as a fraction of plain sequential I/O.
/// </summary>
[Config(typeof(CleanerConfig))]
public class CleanerBenchmarks
{
    public const int Keys = 10_000;
    private const int Rounds = 25;
    private const int RecordsPerBatch = 100;
    private const int SegmentBytes = 8 * 1024 * 1024;
    private const int CopyChunkBytes = 1024 * 1024;
    private static readonly TopicPartition Partition = new("clean", 0);

    /// <summary>
    /// The dirty log's size, for the throughput column. Worked out rather than measured: the column is computed in
    /// BenchmarkDotNet's host process, where no setup ran. Every batch has the same size (fixed-width keys and values).
    /// </summary>
    internal static long DirtyBytes => (long)Rounds * (Keys / RecordsPerBatch) * Batch(0, 0).Length;

    private BenchDirectory _directory = null!;
    private string _template = "";
    private string _work = "";
    private readonly LogConfig _config = new() { SegmentBytes = SegmentBytes, Preallocation = SegmentPreallocation.None };
    private PartitionLog _log = null!;
    private LogCleaner _cleaner = null!;
    private byte[] _chunk = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = BenchDirectory.Create("cleaner");
        _template = Path.Combine(_directory.Path, "template");
        _work = Path.Combine(_directory.Path, "work");
        var log = PartitionLog.Create(Partition, _template, _config, new FileCache(16));
        for (var round = 0; round < Rounds; round++)
        {
            for (var first = 0; first < Keys; first += RecordsPerBatch)
            {
                log.Append(Batch(round, first));
            }
        }
        log.Roll();
        log.Close();
        var onDisk = Directory.GetFiles(Path.Combine(_template, Partition.DirectoryName), "*.log").Sum(f => new FileInfo(f).Length);
        if (onDisk != DirtyBytes)
        {
            throw new InvalidOperationException($"the log holds {onDisk} bytes, the throughput column assumes {DirtyBytes}");
        }
        // The map is sized for every key of the log at once: one cleaning covers it all.
        _cleaner = new LogCleaner(new OffsetMap(64L * 1024 * 1024), new Throttler(double.MaxValue));
        _chunk = new byte[CopyChunkBytes];
    }

    /// <summary>Records of keys [first, first + 100), each about 130 bytes, for the given round.</summary>
    private static byte[] Batch(int round, int first)
    {
        var records = Enumerable.Range(first, RecordsPerBatch)
            .Select(k => new Record(k - first, BatchFactory.Timestamp, Encoding.UTF8.GetBytes($"key-{k:D8}"), Encoding.UTF8.GetBytes($"{round:D4}{new string('v', 100)}"), []))
            .ToList();
        return RecordBatchBuilder.Build(new RecordBatchOptions(), records);
    }

    [GlobalCleanup]
    public void Cleanup() => _directory.Delete();

    [IterationSetup]
    public void FreshCopy()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
        var from = Path.Combine(_template, Partition.DirectoryName);
        var to = Path.Combine(_work, Partition.DirectoryName);
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        _log = PartitionLog.Open(Partition, to, _config, new FileCache(16), new LogOpenOptions { CleanShutdown = true, RecoveryPoint = long.MaxValue });
        _log.HighWatermark = _log.LogEndOffset;
    }

    [Benchmark(Baseline = true)]
    public long SequentialReadWrite()
    {
        var written = 0L;
        using var output = File.OpenHandle(Path.Combine(_work, "copy"), FileMode.Create, FileAccess.Write);
        foreach (var segment in Directory.GetFiles(Path.Combine(_work, Partition.DirectoryName), "*.log").Order(StringComparer.Ordinal))
        {
            using var input = File.OpenHandle(segment, FileMode.Open, FileAccess.Read);
            for (long position = 0; ;)
            {
                var read = RandomAccess.Read(input, _chunk, position);
                if (read == 0)
                {
                    break;
                }
                RandomAccess.Write(output, _chunk.AsSpan(0, read), written);
                position += read;
                written += read;
            }
        }
        LibC.DataSync(output);
        return written;
    }

    [Benchmark]
    public long Clean()
    {
        var result = _cleaner.Clean(_log, -1, new CompactionSettings { NowMs = BatchFactory.Timestamp });
        if (!result.Cleaned || result.RecordsRead - result.RecordsRemoved != Keys)
        {
            throw new InvalidOperationException($"the cleaning kept {result.RecordsRead - result.RecordsRemoved} records, not one per key");
        }
        return result.BytesRead;
    }
}

/// <summary>The disk job (one operation per iteration on fresh files) with the throughput of the dirty log.</summary>
public sealed class CleanerConfig : DiskConfig
{
    public CleanerConfig() => AddColumn(new ThroughputColumn("Dirty MB/s", 1e6, _ => CleanerBenchmarks.DirtyBytes));
}
