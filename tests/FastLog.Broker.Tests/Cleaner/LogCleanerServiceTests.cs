using System.Text;
using FastLog.Broker.Cleaner;
using FastLog.Broker.Configuration;
using FastLog.Broker.Metadata;
using FastLog.Broker.Partitions;
using FastLog.Broker.Topics;
using FastLog.Protocol.Records;
using FastLog.Storage;
using FastLog.Storage.Cleaner;
using Record = FastLog.Protocol.Records.Record;

namespace FastLog.Broker.Tests.Cleaner;

/// <summary>The cleaner service in process, on logs written directly: which logs it cleans and what its metrics say.</summary>
public sealed class LogCleanerServiceTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "fastlog-cleaner-service-tests", Guid.NewGuid().ToString("N"));
    private readonly LogManager _logs;
    private readonly BrokerServices _services;
    private readonly List<string> _lines = [];

    public LogCleanerServiceTests()
    {
        var config = BrokerConfigLoader.FromProperties(new Dictionary<string, string>
        {
            ["log.dirs"] = _dir,
            ["log.cleaner.backoff.ms"] = "20",
            ["log.cleaner.dedupe.buffer.size"] = "1048576",
        });
        var metadata = EmbeddedMetadataStore.Open(_dir, null);
        _logs = LogManager.Open(new LogManagerOptions { DataDirs = [_dir], ConfigFor = _ => new LogConfig { SegmentBytes = 1 << 20, Preallocation = SegmentPreallocation.None } });
        var replicas = new ReplicaManager(_logs);
        _services = new BrokerServices(config, metadata, replicas, new TopicAdmin(metadata, replicas, config));
    }

    public void Dispose()
    {
        _logs.Close();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A topic of one partition holding 10 keys written 10 times, all of it cleanable.</summary>
    private PartitionLog DirtyTopic(string name, string cleanupPolicy)
    {
        var topic = _services.Metadata.CreateTopic(name, 1, 1, new Dictionary<string, string> { ["cleanup.policy"] = cleanupPolicy, ["min.cleanable.dirty.ratio"] = "0.1" });
        _services.Replicas.Host(topic);
        var log = _services.Replicas.Get(name, 0)!.Log;
        for (var round = 0; round < 10; round++)
        {
            var records = Enumerable.Range(0, 10).Select(k => new Record(k, 1_700_000_000_000, Encoding.UTF8.GetBytes($"key-{k}"), Encoding.UTF8.GetBytes($"round-{round}"), [])).ToList();
            log.Append(RecordBatchBuilder.Build(new RecordBatchOptions(), records));
        }
        log.Roll();
        log.HighWatermark = log.LogEndOffset;
        return log;
    }

    [Fact]
    public async Task A_compacted_log_is_cleaned_its_metrics_say_so_and_a_delete_topic_is_left_alone()
    {
        var compacted = DirtyTopic("compacted", "compact");
        var deleted = DirtyTopic("deleted", "delete");
        var deletedBytes = deleted.SizeInBytes;
        await using var service = new LogCleanerService(_services, line => { lock (_lines) { _lines.Add(line); } });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (service.Metrics.Cleans == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var last = service.Metrics.LastCleans[compacted.Partition];
        Assert.Equal(1, service.Metrics.Cleans);
        Assert.Equal(90, last.RecordsRemoved);
        Assert.Equal(100, last.EndOffset);
        Assert.True(service.Metrics.BytesRead > service.Metrics.BytesWritten && service.Metrics.BytesWritten > 0);
        Assert.True(service.Metrics.LastCleanTimeMs > 0);
        Assert.Equal(0, service.Metrics.DirtyRatios[compacted.Partition]);
        Assert.False(service.Metrics.DirtyRatios.ContainsKey(deleted.Partition));
        Assert.Equal(deletedBytes, deleted.SizeInBytes);
        Assert.Equal(100, new CleanerCheckpoints().FirstDirtyOffset(compacted));
        lock (_lines)
        {
            Assert.Contains(_lines, l => l.StartsWith("compacted-0: cleaned offsets [0, 100)", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_log_that_cannot_be_measured_rests_and_the_others_are_still_cleaned()
    {
        var broken = DirtyTopic("broken", "compact");
        // The first segment's first batch header gone (zeros), as a crash that wiped a segment would leave it.
        var first = broken.Segments[0].LogFile.Path;
        using (var file = File.OpenHandle(first, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            RandomAccess.Write(file, new byte[100], 0);
        }
        var healthy = DirtyTopic("healthy", "compact");
        await using var service = new LogCleanerService(_services, line => { lock (_lines) { _lines.Add(line); } });

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!service.Metrics.LastCleans.ContainsKey(healthy.Partition) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        await Task.Delay(500); // fifty of its 20 ms backoffs: a failing log must not be retried (and logged) at each

        Assert.True(service.Metrics.LastCleans.ContainsKey(healthy.Partition), "the healthy log was never cleaned");
        lock (_lines)
        {
            var failures = _lines.Where(l => l.StartsWith("broken-0: cleaning failed", StringComparison.Ordinal)).ToList();
            Assert.InRange(failures.Count, 1, 2);
            Assert.Contains("corrupt batch", failures[0], StringComparison.Ordinal);
            Assert.DoesNotContain(_lines, l => l.StartsWith("log cleaner:", StringComparison.Ordinal));
        }
    }
}
