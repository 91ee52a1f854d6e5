using Confluent.Kafka;
using FastLog.Broker.Configuration;
using FastLog.Broker.Pipeline;
using FastLog.Broker.Profiles;
using FastLog.Broker.Tests.Support;
using FastLog.Storage;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests.Profiles;

public sealed class ProfileApplicationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fastlog-profile-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HardwareProfile TwoDirsOnOneDevice() => HardwareProfileReader.Parse($$"""
        {
          "name": "two-dirs",
          "devices": [ { "name": "disk0", "dataDirs": ["{{_root}}/a", "{{_root}}/b"] } ],
          "ring": { "size": 64, "waitStrategy": "blocking", "maxBatchEntries": 16 },
          "flush": { "policy": "interval", "intervalMs": 250 },
          "segments": { "bytes": 8388608, "preallocation": "zero-ahead" },
          "network": { "zeroCopyFetch": false },
          "cleaner": { "threads": 2, "ioMaxBytesPerSecond": 10485760, "dedupeBufferBytes": 16777216 }
        }
        """, "two-dirs.json");

    [Fact]
    public void The_profile_sets_broker_defaults_that_properties_and_overrides_win_over()
    {
        var config = BrokerConfigLoader.Load(null, ["log.segment.bytes=2097152"], TwoDirsOnOneDevice());

        Assert.Equal([$"{_root}/a", $"{_root}/b"], config.LogDirs);
        Assert.Equal(2_097_152, config.LogSegmentBytes); // the override wins
        Assert.Equal(SegmentPreallocation.ZeroAhead, config.LogPreallocation);
        Assert.Equal("interval", config.FindEntry("log.flush.policy")!.Value);
        Assert.Equal(250, config.LogFlushIntervalMs);
        Assert.False(config.SocketFetchZeroCopy);
        Assert.Equal("2", config.FindEntry("log.cleaner.threads")!.Value);
        Assert.Equal("10485760", config.FindEntry("log.cleaner.io.max.bytes.per.second")!.Value);
        Assert.Equal("16777216", config.FindEntry("log.cleaner.dedupe.buffer.size")!.Value);
        Assert.Equal("two-dirs", config.Profile.Name);
    }

    [Fact]
    public void The_data_dirs_of_one_device_share_one_ring_and_an_unlisted_dir_gets_its_own()
    {
        var profile = TwoDirsOnOneDevice();
        var other = Path.Combine(_root, "c");

        using var pipelines = new AppendPipelines([$"{_root}/a", $"{_root}/b", other], profile);

        Assert.Equal(2, pipelines.All.Count);
        Assert.Same(pipelines.For(Path.Combine(_root, "a", "t-0")), pipelines.For(Path.Combine(_root, "b", "t-1")));
        Assert.NotSame(pipelines.For(Path.Combine(_root, "a", "t-0")), pipelines.For(Path.Combine(other, "t-0")));
        Assert.Equal("disk0", pipelines.For(Path.Combine(_root, "b", "t-1")).Device);
        Assert.Equal(64, pipelines.For(Path.Combine(_root, "a", "t-0")).Ring.Size);
    }

    [Fact]
    public async Task The_server_runs_with_the_ci_profile_and_serves_clients()
    {
        await using var broker = await BrokerProcess.StartWithArgumentsAsync(["--profile", "ci"]);
        var topic = TestTopics.Unique("profile");
        using (var producer = Clients.Producer<Null, string>(broker))
        {
            for (var i = 0; i < 50; i++)
            {
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = $"v{i}" });
            }
        }
        using var consumer = Clients.Consumer<Null, string>(broker);

        var read = Clients.ReadPartition(consumer, topic, 0, Offset.Beginning);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"v{i}"), read.Select(r => r.Message.Value));
        Assert.Contains("hardware profile ci: 1 device(s), ring 1024 slots (blocking)", broker.Output);
    }

    [Fact]
    public async Task The_server_refuses_a_bad_profile_at_start_naming_the_field()
    {
        var path = Path.Combine(_root, "bad.json");
        File.WriteAllText(path, """{ "name": "bad", "devices": [ { "name": "d", "dataDirs": ["./d"] } ], "ring": { "size": 1000 } }""");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BrokerProcess.StartWithArgumentsAsync(["--profile", path]));

        Assert.Contains("exited with 2", error.Message);
        Assert.Contains("profile bad.json: ring.size: must be a power of two, got 1000", error.Message);
    }
}
