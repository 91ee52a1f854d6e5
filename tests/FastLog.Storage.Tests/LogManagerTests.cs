using FastLog.Protocol.Records;

namespace FastLog.Storage.Tests;

[Collection(SerialCollection.Name)]
public sealed class LogManagerTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LogManagerOptions Options(int dataDirs = 2, int maxOpenFiles = 64, List<string>? lines = null) => new()
    {
        DataDirs = [.. Enumerable.Range(0, dataDirs).Select(i => Path.Combine(_dir.Path, $"data{i}"))],
        ConfigFor = _ => TestBatches.SmallSegments(4096),
        MaxOpenFiles = maxOpenFiles,
        Log = line => { lock (lines ?? []) { lines?.Add(line); } },
    };

    [Fact]
    public void Partitions_spread_over_data_dirs_and_come_back_after_a_clean_restart()
    {
        var options = Options();
        using (var manager = LogManager.Open(options))
        {
            for (var p = 0; p < 6; p++)
            {
                var log = manager.GetOrCreate(new TopicPartition("t", p));
                for (var i = 0; i <= p; i++)
                {
                    log.Append(TestBatches.Make(2));
                }
            }
            Assert.Equal(3, Directory.GetDirectories(options.DataDirs[0]).Length);
            Assert.Equal(3, Directory.GetDirectories(options.DataDirs[1]).Length);
        }

        using var reopened = LogManager.Open(options);

        Assert.Equal(6, reopened.Logs.Count);
        for (var p = 0; p < 6; p++)
        {
            var log = reopened.Get(new TopicPartition("t", p))!;
            Assert.Equal(2 * (p + 1), log.LogEndOffset);
            Assert.Equal(log.LogEndOffset, log.RecoveryPoint);
        }
    }

    [Fact]
    public void Checkpoints_carry_log_start_and_high_watermark_across_a_restart()
    {
        var options = Options(dataDirs: 1);
        using (var manager = LogManager.Open(options))
        {
            var log = manager.GetOrCreate(new TopicPartition("t", 0));
            for (var i = 0; i < 40; i++)
            {
                log.Append(TestBatches.Make(2, valueBytes: 100));
            }
            log.HighWatermark = 70;
            log.IncreaseLogStartOffset(33);
        }

        using var reopened = LogManager.Open(options);
        var again = reopened.Get(new TopicPartition("t", 0))!;

        Assert.Equal(33, again.LogStartOffset);
        Assert.Equal(70, again.HighWatermark);
        Assert.Equal(80, again.LogEndOffset);
    }

    [Fact]
    public void After_a_crash_the_logs_are_recovered_from_the_checkpointed_recovery_point()
    {
        var options = Options(dataDirs: 1);
        var manager = LogManager.Open(options);
        var log = manager.GetOrCreate(new TopicPartition("t", 0));
        for (var i = 0; i < 20; i++)
        {
            log.Append(TestBatches.Make(2));
        }
        log.Flush();
        manager.CheckpointAll();
        log.Append(TestBatches.Make(2));
        // No Close: no clean-shutdown marker. Release the data-dir lock the way process death would.
        typeof(LogManager).GetMethod("ReleaseLocks", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(manager, null);

        using var reopened = LogManager.Open(options);

        Assert.Equal(42, reopened.Get(new TopicPartition("t", 0))!.LogEndOffset);
        Assert.False(File.Exists(Path.Combine(options.DataDirs[0], LogManager.CleanShutdownMarker)));
    }

    [Fact]
    public void A_second_manager_cannot_open_a_data_dir_in_use()
    {
        var options = Options(dataDirs: 1);
        using var manager = LogManager.Open(options);

        var error = Assert.Throws<IOException>(() => LogManager.Open(options));

        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ten_thousand_partitions_open_within_the_file_cache_bound()
    {
        const int partitions = 10_000;
        const int maxOpenFiles = 128;
        var options = Options(dataDirs: 2, maxOpenFiles: maxOpenFiles) with
        {
            ConfigFor = _ => TestBatches.SmallSegments(64 * 1024, SegmentPreallocation.None) with { MaxIndexBytes = 1024 },
            RecoveryThreadsPerDataDir = 2,
        };
        // Logs of earlier tests that were never closed hold descriptors until their finalizers run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var descriptorsBefore = Directory.GetFiles("/proc/self/fd").Length;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var manager = LogManager.Open(options))
        {
            var batch = TestBatches.Make(1, valueBytes: 10);
            for (var p = 0; p < partitions; p++)
            {
                manager.GetOrCreate(new TopicPartition("wide", p)).Append((byte[])batch.Clone());
            }
            Assert.True(manager.Files.OpenCount <= maxOpenFiles);
            output.WriteLine($"created and appended: {clock.Elapsed}");
        }
        output.WriteLine($"closed: {clock.Elapsed}");

        using var reopened = LogManager.Open(options);
        long records = 0;
        foreach (var log in reopened.Logs)
        {
            records += RecordBatchHeader.Read(log.Read(0, 1000).ToArray()).RecordsCount;
        }

        output.WriteLine($"reopened and read: {clock.Elapsed}");
        Assert.Equal(partitions, reopened.Logs.Count);
        Assert.Equal(partitions, records);
        Assert.True(reopened.Files.OpenCount <= maxOpenFiles);
        Assert.InRange(Directory.GetFiles("/proc/self/fd").Length - descriptorsBefore, int.MinValue, maxOpenFiles + 32);
    }
}
