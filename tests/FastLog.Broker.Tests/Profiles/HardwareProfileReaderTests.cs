using FastLog.Broker.Profiles;
using FastLog.Storage;

namespace FastLog.Broker.Tests.Profiles;

public sealed class HardwareProfileReaderTests
{
    private const string Minimal = """{ "name": "m", "devices": [ { "name": "d0", "dataDirs": ["./d0"] } ] }""";

    [Theory]
    [InlineData("ci")]
    [InlineData("laptop")]
    [InlineData("1x-nvme")]
    [InlineData("4x-nvme")]
    public void Every_shipped_profile_parses(string name)
    {
        var profile = HardwareProfiles.Load(name);

        Assert.Equal(name, profile.Name);
        Assert.NotEmpty(profile.Devices);
        Assert.False(string.IsNullOrWhiteSpace(profile.Description));
    }

    [Fact]
    public void The_4x_nvme_profile_has_four_devices_each_with_its_own_writer_core()
    {
        var profile = HardwareProfiles.Load("4x-nvme");

        Assert.Equal(4, profile.Devices.Count);
        Assert.Equal([1, 2, 3, 4], profile.Devices.Select(d => d.WriterCore!.Value));
    }

    [Fact]
    public void Omitted_sections_take_the_defaults()
    {
        var profile = HardwareProfileReader.Parse(Minimal, "m.json");

        Assert.Equal(new RingProfile(), profile.Ring);
        Assert.Equal(LogFlushPolicy.PerBatch, profile.Flush.Policy);
        Assert.Equal(SegmentPreallocation.Prepared, profile.Segments.Preallocation);
    }

    [Theory]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "rings": {} }""", "rings: unknown field")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"], "core": 1 } ] }""", "devices[0].core: unknown field")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "ring": { "size": "1024" } }""", "ring.size: must be an integer, got the string \"1024\"")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "ring": { "size": 1000 } }""", "ring.size: must be a power of two, got 1000")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "ring": { "size": 64, "maxBatchEntries": 65 } }""", "ring.maxBatchEntries: must be between 1 and 64, got 65")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "ring": { "waitStrategy": "sleepy" } }""", "ring.waitStrategy: must be one of busy-spin, yielding, blocking, phased-backoff")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "flush": { "policy": "interval" } }""", "flush.intervalMs: is required when policy is interval")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "segments": { "bytes": 1024 } }""", "segments.bytes: must be between 1048576")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "network": { "socketSendBufferBytes": 0 } }""", "network.socketSendBufferBytes: must be -1")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "gc": { "server": "yes" } }""", "gc.server: must be true or false")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] }, { "name": "e", "dataDirs": ["./a/"] } ] }""", "devices[1].dataDirs: \"./a/\" is already a data dir of device \"d\"")]
    [InlineData("""{ "name": "x", "devices": [] }""", "devices: must list at least one device")]
    [InlineData("""{ "devices": [ { "name": "d", "dataDirs": ["a"] } ] }""", "name: is required")]
    [InlineData("""{ "name": "x", "devices": [ { "name": "d", "dataDirs": ["a"] } ], "cpu": { "processCores": [0, 0] } }""", "cpu.processCores: names a core twice")]
    [InlineData("""{ "name": "x", """, "not valid JSON")]
    public void A_bad_profile_is_refused_with_the_field_named(string json, string expected)
    {
        var error = Assert.Throws<ProfileException>(() => HardwareProfileReader.Parse(json, "bad.json"));

        Assert.StartsWith("profile bad.json: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void An_unknown_profile_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ProfileException>(() => HardwareProfiles.Load("no-such-host"));

        Assert.Contains("known: 1x-nvme, 4x-nvme, ci, laptop", error.Message);
    }
}
