using System.IO.MemoryMappedFiles;
using BenchmarkDotNet.Attributes;
using FastLog.Benchmarks.Configs;
using FastLog.Benchmarks.Support;
using FastLog.Storage;
using FastLog.Storage.Files;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Benchmarks.Append;

/// <summary>
/// Append throughput into one partition log against the two raw write paths it could be built on, each writing
/// the same bytes and flushing at the same points: positioned writes + fdatasync (the baseline) and stores into a
/// shared mapping + msync. The raw paths write into pre-zeroed files, the best case for a flush; the log pays for
/// its own preparation of blocks inside the measurement, as it does in service.
/// </summary>
/// <remarks>
/// One operation appends <see cref="BytesPerOperation"/> bytes into files made fresh by the iteration setup,
/// so no segment rolls and each iteration uses a bounded amount of disk.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class AppendBenchmarks
{
    public const int BytesPerOperation = 32 * 1024 * 1024;

    private BenchDirectory _directory = null!;
    private byte[] _batch = [];
    private int _batchesPerOperation;

    private SafeFileHandle? _file;
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private unsafe byte* _mapped;
    private PartitionLog? _log;

    [Params(16 * 1024, 64 * 1024, 1024 * 1024)]
    public int BatchBytes { get; set; }

    [Params(FlushMode.PerMiB, FlushMode.PerBatch)]
    public FlushMode Flush { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _directory = BenchDirectory.Create("append");
        // Appending rewrites only baseOffset and partitionLeaderEpoch, which the CRC does not cover, so one
        // buffer stays a valid batch however often it is appended and no copy is needed per append.
        _batch = BatchFactory.Build(BatchBytes, recordBytes: 1024);
        _batchesPerOperation = BytesPerOperation / BatchBytes;
    }

    [GlobalCleanup]
    public void GlobalCleanup() => _directory.Delete();

    [IterationSetup(Targets = [nameof(Positioned)])]
    public void SetupPositioned()
    {
        _directory.Clear();
        _file = PreZeroedFile.Create(_directory.File("positioned.log"), BytesPerOperation);
    }

    [IterationSetup(Targets = [nameof(Mapped)])]
    public unsafe void SetupMapped()
    {
        _directory.Clear();
        _file = PreZeroedFile.Create(_directory.File("mapped.log"), BytesPerOperation);
        _map = MemoryMappedFile.CreateFromFile(_file, null, BytesPerOperation, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
        _view = _map.CreateViewAccessor(0, BytesPerOperation, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _mapped = pointer + _view.PointerOffset;
    }

    [IterationSetup(Targets = [nameof(LogZeroAhead)])]
    public void SetupLogZeroAhead() => SetupLog(SegmentPreallocation.ZeroAhead);

    [IterationSetup(Targets = [nameof(LogPrepared)])]
    public void SetupLogPrepared()
    {
        SetupLog(SegmentPreallocation.Prepared);
        // The state the preparer keeps a partition in while the disk has bandwidth to spare: the blocks the
        // operation will write are zeroed and synced before its appends arrive, as the baseline's are.
        // Waiting for the whole window, not just this operation's bytes, keeps the preparer idle during it.
        PreparedWindow.WaitFor(_log!.ActiveSegment, _log.Config.PrepareAheadBytes);
    }

    [IterationSetup(Targets = [nameof(LogFallocate)])]
    public void SetupLogFallocate() => SetupLog(SegmentPreallocation.Fallocate);

    [IterationSetup(Targets = [nameof(LogNoPreallocation)])]
    public void SetupLogNoPreallocation() => SetupLog(SegmentPreallocation.None);

    [IterationCleanup]
    public unsafe void IterationCleanup()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _mapped = null;
            _view = null;
        }
        _map?.Dispose();
        _map = null;
        _file?.Dispose();
        _file = null;
        _log?.Close();
        _log = null;
    }

    [Benchmark(Baseline = true)]
    public void Positioned()
    {
        var file = _file!;
        var schedule = new FlushSchedule(Flush);
        long position = 0;
        for (var i = 0; i < _batchesPerOperation; i++)
        {
            RandomAccess.Write(file, _batch, position);
            position += _batch.Length;
            if (schedule.AfterWrite(_batch.Length))
            {
                FileSync.DataSync(file);
            }
        }
    }

    [Benchmark]
    public unsafe void Mapped()
    {
        var view = _view!;
        var schedule = new FlushSchedule(Flush);
        long position = 0;
        for (var i = 0; i < _batchesPerOperation; i++)
        {
            _batch.CopyTo(new Span<byte>(_mapped + position, _batch.Length));
            position += _batch.Length;
            if (schedule.AfterWrite(_batch.Length))
            {
                // msync(MS_SYNC) of the whole view: only its dirty pages are written.
                view.Flush();
            }
        }
    }

    /// <summary>The log as configured by default: blocks zeroed and synced a chunk ahead of the appends.</summary>
    [Benchmark]
    public void LogZeroAhead() => AppendToLog();

    /// <summary>The log with segments zeroed ahead by the background preparer.</summary>
    [Benchmark]
    public void LogPrepared() => AppendToLog();

    /// <summary>The log over fallocated blocks: each flush also commits the conversion of unwritten extents.</summary>
    [Benchmark]
    public void LogFallocate() => AppendToLog();

    /// <summary>The log over a sparse file: each flush also commits the block allocation of the new bytes.</summary>
    [Benchmark]
    public void LogNoPreallocation() => AppendToLog();

    private void AppendToLog()
    {
        var log = _log!;
        var schedule = new FlushSchedule(Flush);
        for (var i = 0; i < _batchesPerOperation; i++)
        {
            log.Append(_batch);
            if (schedule.AfterWrite(_batch.Length))
            {
                log.Flush();
            }
        }
    }

    private void SetupLog(SegmentPreallocation preallocation)
    {
        _directory.Clear();
        var config = new LogConfig { SegmentBytes = 1024 * 1024 * 1024, Preallocation = preallocation, PrepareAheadBytes = 2 * BytesPerOperation };
        _log = PartitionLog.Create(new TopicPartition("append", 0), _directory.Path, config, new FileCache(16));
        LogWarmUp.Run(_log, _batch);
    }

    private sealed class Config : DiskConfig
    {
        public Config() => AddColumn(new ThroughputColumn("MB/s", 1e6, _ => BytesPerOperation));
    }
}
