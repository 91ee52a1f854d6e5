using System.Collections.Concurrent;
using FastLog.Storage.Checkpoints;
using FastLog.Storage.Files;

namespace FastLog.Storage;

/// <summary>Settings of the log manager; Kafka's names where Kafka has the setting.</summary>
public sealed record LogManagerOptions
{
    /// <summary>log.dirs</summary>
    public required IReadOnlyList<string> DataDirs { get; init; }

    /// <summary>The config of each partition (topic overrides over broker defaults).</summary>
    public Func<TopicPartition, LogConfig> ConfigFor { get; init; } = _ => new LogConfig();

    /// <summary>Open files and mappings kept at once, across all partitions.</summary>
    public int MaxOpenFiles { get; init; } = 4096;

    /// <summary>num.recovery.threads.per.data.dir</summary>
    public int RecoveryThreadsPerDataDir { get; init; } = 2;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Receives one line per notable event (recovery cuts, skipped folders).</summary>
    public Action<string> Log { get; init; } = _ => { };
}

/// <summary>
/// All partition logs of a broker across its data dirs: opens them in parallel at start (recovering after a
/// crash), places new partitions, and owns the per-data-dir checkpoints and the clean-shutdown marker.
/// </summary>
public sealed class LogManager : IDisposable
{
    public const string RecoveryPointCheckpoint = "recovery-point-offset-checkpoint";
    public const string LogStartOffsetCheckpoint = "log-start-offset-checkpoint";
    public const string HighWatermarkCheckpoint = "replication-offset-checkpoint";
    public const string CleanShutdownMarker = ".fastlog-clean-shutdown";
    public const string LockFile = ".lock";

    private readonly LogManagerOptions _options;
    private readonly ConcurrentDictionary<TopicPartition, PartitionLog> _logs = new();
    private readonly List<SafeFileHandleHolder> _locks = [];
    private readonly Lock _placementLock = new();
    private readonly ConcurrentDictionary<string, int> _partitionsPerDataDir = new();
    private bool _closed;

    private LogManager(LogManagerOptions options)
    {
        _options = options;
        Files = new FileCache(options.MaxOpenFiles);
    }

    public FileCache Files { get; }
    public IReadOnlyList<string> DataDirs => _options.DataDirs;
    public ICollection<PartitionLog> Logs => _logs.Values;

    public static LogManager Open(LogManagerOptions options)
    {
        if (options.DataDirs.Count == 0)
        {
            throw new ArgumentException("log.dirs names no directory");
        }
        // Full paths without a trailing separator, so a log's folder maps back to its data dir exactly.
        options = options with { DataDirs = [.. options.DataDirs.Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))] };
        var manager = new LogManager(options);
        try
        {
            foreach (var dir in options.DataDirs)
            {
                Directory.CreateDirectory(dir);
                manager._locks.Add(SafeFileHandleHolder.Lock(Path.Combine(dir, LockFile)));
            }
            Parallel.ForEach(options.DataDirs, manager.LoadDataDir);
        }
        catch
        {
            manager.ReleaseLocks();
            throw;
        }
        return manager;
    }

    public PartitionLog? Get(TopicPartition partition) => _logs.GetValueOrDefault(partition);

    /// <summary>The log config a partition gets now (after a topic's configs change).</summary>
    public LogConfig ConfigFor(TopicPartition partition) => _options.ConfigFor(partition);

    /// <summary>The partition's log, created in the data dir holding the fewest partitions if it does not exist.</summary>
    public PartitionLog GetOrCreate(TopicPartition partition)
    {
        if (_logs.TryGetValue(partition, out var existing))
        {
            return existing;
        }
        lock (_placementLock)
        {
            if (_logs.TryGetValue(partition, out existing))
            {
                return existing;
            }
            var target = _options.DataDirs.MinBy(d => _partitionsPerDataDir.GetValueOrDefault(d))!;
            var created = PartitionLog.Create(partition, target, _options.ConfigFor(partition), Files, _options.Time);
            _logs[partition] = created;
            _partitionsPerDataDir.AddOrUpdate(target, 1, (_, n) => n + 1);
            return created;
        }
    }

    /// <summary>Removes a partition's log and its folder.</summary>
    public void Delete(TopicPartition partition)
    {
        if (!_logs.TryRemove(partition, out var log))
        {
            return;
        }
        foreach (var segment in log.Segments)
        {
            segment.Delete();
        }
        Directory.Delete(log.Directory, recursive: true);
        _partitionsPerDataDir.AddOrUpdate(Path.GetDirectoryName(log.Directory)!, 0, (_, n) => n - 1);
    }

    /// <summary>fdatasync is latency-bound: overlapping the flushes of many partitions shortens the whole.</summary>
    public void FlushAll() => Parallel.ForEach(_logs.Values, ParallelPerDataDir(), log => log.Flush());

    private ParallelOptions ParallelPerDataDir() =>
        new() { MaxDegreeOfParallelism = Math.Max(1, _options.RecoveryThreadsPerDataDir * _options.DataDirs.Count) };

    /// <summary>Writes the recovery-point, log-start-offset and high-watermark checkpoints of every data dir.</summary>
    public void CheckpointAll()
    {
        foreach (var dir in _options.DataDirs)
        {
            var logs = _logs.Values.Where(l => Path.GetDirectoryName(l.Directory) == dir).ToList();
            new OffsetCheckpointFile(Path.Combine(dir, RecoveryPointCheckpoint)).Write(logs.ToDictionary(l => l.Partition, l => l.RecoveryPoint));
            new OffsetCheckpointFile(Path.Combine(dir, LogStartOffsetCheckpoint)).Write(logs.ToDictionary(l => l.Partition, l => l.LogStartOffset));
            new OffsetCheckpointFile(Path.Combine(dir, HighWatermarkCheckpoint)).Write(logs.ToDictionary(l => l.Partition, l => l.HighWatermark));
        }
    }

    /// <summary>Clean shutdown: flush and trim every log, checkpoint, then mark each data dir clean.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }
        _closed = true;
        // One syncfs per data dir instead of an fdatasync per file: with thousands of partitions the
        // per-file flushes dominate shutdown, and a single sync covers every trim and every dirty page.
        Parallel.ForEach(_logs.Values, ParallelPerDataDir(), log => log.TrimForClose());
        if (_options.DataDirs.All(LibC.TrySyncFileSystem))
        {
            foreach (var log in _logs.Values)
            {
                log.MarkFlushed();
            }
        }
        else
        {
            Parallel.ForEach(_logs.Values, ParallelPerDataDir(), log => log.Flush());
        }
        CheckpointAll();
        foreach (var dir in _options.DataDirs)
        {
            using (File.Create(Path.Combine(dir, CleanShutdownMarker)))
            {
            }
            LibC.SyncDirectory(dir);
        }
        ReleaseLocks();
    }

    public void Dispose() => Close();

    private void LoadDataDir(string dir)
    {
        var marker = Path.Combine(dir, CleanShutdownMarker);
        var clean = File.Exists(marker);
        var recoveryPoints = new OffsetCheckpointFile(Path.Combine(dir, RecoveryPointCheckpoint)).Read();
        var logStarts = new OffsetCheckpointFile(Path.Combine(dir, LogStartOffsetCheckpoint)).Read();
        var highWatermarks = new OffsetCheckpointFile(Path.Combine(dir, HighWatermarkCheckpoint)).Read();

        var folders = Directory.EnumerateDirectories(dir).ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.RecoveryThreadsPerDataDir) };
        Parallel.ForEach(folders, parallel, folder =>
        {
            var name = Path.GetFileName(folder);
            if (!TopicPartition.TryParseDirectoryName(name, out var partition))
            {
                _options.Log($"{folder}: not a partition folder, skipped");
                return;
            }
            var log = PartitionLog.Open(partition, folder, _options.ConfigFor(partition), Files, new LogOpenOptions
            {
                CleanShutdown = clean,
                RecoveryPoint = recoveryPoints.GetValueOrDefault(partition),
                LogStartOffset = logStarts.GetValueOrDefault(partition),
                HighWatermark = highWatermarks.GetValueOrDefault(partition),
                Time = _options.Time,
                Log = _options.Log,
            });
            if (!_logs.TryAdd(partition, log))
            {
                throw new InvalidDataException($"partition {partition} exists in more than one data dir (second: {folder})");
            }
            _partitionsPerDataDir.AddOrUpdate(dir, 1, (_, n) => n + 1);
        });

        // The marker is only valid for the run that wrote it: from now on a crash must recover.
        File.Delete(marker);
        LibC.SyncDirectory(dir);
    }

    private void ReleaseLocks()
    {
        foreach (var held in _locks)
        {
            held.Dispose();
        }
        _locks.Clear();
    }
}

/// <summary>An exclusive hold on a data dir's lock file, so two brokers never open the same logs.</summary>
internal sealed class SafeFileHandleHolder(Microsoft.Win32.SafeHandles.SafeFileHandle handle) : IDisposable
{
    public static SafeFileHandleHolder Lock(string path)
    {
        try
        {
            return new SafeFileHandleHolder(File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e)
        {
            throw new IOException($"data dir {Path.GetDirectoryName(path)} is in use by another process ({e.Message})", e);
        }
    }

    public void Dispose() => handle.Dispose();
}
