using FastLog.Broker.Profiles;
using FastLog.Storage;
using FastLog.TestSupport;
using FastLog.Tools.Probe;

namespace FastLog.Tools.Tests;

public sealed class ProfileCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fastlog-probe-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Probe_measures_the_data_dirs_and_writes_a_profile_the_server_starts_with()
    {
        var a = Path.Combine(_root, "a");
        var b = Path.Combine(_root, "b");
        var path = Path.Combine(_root, "this-host.json");

        var run = FastlogProcess.Run("profile", "probe", "--data-dirs", $"{a},{b}", "--syncs", "20", "--bandwidth-mib", "4", "--out", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("fdatasync after append p50", run.Error);
        Assert.Matches(@"with every core busy p99 \d+\.\d\d ms max \d+\.\d\d ms", run.Error);
        Assert.Contains("100% sequential read", run.Error); // the progress bar reached its end
        var profile = HardwareProfiles.Load(path);
        Assert.Equal("this-host", profile.Name);
        Assert.Equal([a, b], profile.Devices.SelectMany(d => d.DataDirs));
        Assert.Contains($"{a}: fdatasync after append p50", profile.Description);
        Assert.Contains("with every core busy p99", profile.Description);
        var sends = System.Text.RegularExpressions.Regex.Match(run.Error, @"loopback send of a cached file: sendfile (\d+) MB/s, read \+ send (\d+) MB/s; zero-copy fetch (on|off)");
        Assert.True(sends.Success, run.Error);
        Assert.Equal(sends.Groups[3].Value == "on", profile.Network.ZeroCopyFetch);
        Assert.Contains($"sendfile {sends.Groups[1].Value} MB/s", profile.Description);
        HostCheck.Run(profile, [a, b], Environment.ProcessorCount);
        Assert.Empty(Directory.EnumerateFileSystemEntries(a)); // the probe's scratch files are gone, the send probe's too

        await using var broker = await BrokerProcess.StartWithArgumentsAsync(["--profile", path]);
        Assert.Contains("hardware profile this-host", broker.Output);
    }

    [Fact]
    public void Probe_without_out_prints_the_profile()
    {
        var run = FastlogProcess.Run("profile", "probe", "--data-dirs", _root, "--syncs", "10", "--bandwidth-mib", "1", "--name", "printed");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("printed", HardwareProfileReader.Parse(run.Output, "stdout").Name);
    }

    [Fact]
    public void Probe_refuses_an_unknown_option()
    {
        var run = FastlogProcess.Run("profile", "probe", "--data-dir", _root);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown option --data-dir", run.Error);
    }

    private static DiskMeasurement Disk(string dir, double appendP50, double overwriteP50, double overwriteP99) =>
        new(dir, new Percentiles(appendP50, appendP50 * 2, appendP50 * 3), new Percentiles(overwriteP50, overwriteP99, overwriteP99), new Percentiles(overwriteP50 * 2, overwriteP99 * 10, overwriteP99 * 40), 500e6, 1e9, 100L << 30);

    private static readonly SendPathMeasurement EqualSends = new(2e9, 2e9);

    [Fact]
    public void Zero_copy_fetch_is_chosen_unless_sendfile_measured_clearly_slower_than_read_and_send()
    {
        var disks = new[] { Disk("/d", 1000, 400, 800) };
        bool ZeroCopy(double sendFile, double readSend) =>
            HardwareProfileReader.Parse(ProfileChoices.ToJson("x", 2, disks, new SendPathMeasurement(sendFile, readSend), d => d), "x").Network.ZeroCopyFetch;

        Assert.True(ZeroCopy(3.5e9, 3.0e9));
        Assert.True(ZeroCopy(2.8e9, 3.0e9)); // within a tenth: the copy's CPU is still saved
        Assert.False(ZeroCopy(1.3e9, 3.0e9)); // the shared VMs' figure: sendfile at less than half
        var description = HardwareProfileReader.Parse(ProfileChoices.ToJson("x", 2, disks, new SendPathMeasurement(1.3e9, 3.0e9), d => d), "x").Description;
        Assert.Contains("sendfile 1300 MB/s, read + send 3000 MB/s", description);
    }

    [Fact]
    public void Prepared_segments_are_chosen_where_overwrite_flushes_are_faster_and_none_elsewhere()
    {
        var faster = HardwareProfileReader.Parse(ProfileChoices.ToJson("x", 2, [Disk("/d", 1000, 400, 800)], EqualSends, d => d), "x");
        var slower = HardwareProfileReader.Parse(ProfileChoices.ToJson("x", 2, [Disk("/d", 1000, 950, 1900)], EqualSends, d => d), "x");

        Assert.Equal(SegmentPreallocation.Prepared, faster.Segments.Preallocation);
        Assert.Equal(SegmentPreallocation.None, slower.Segments.Preallocation);
    }

    [Fact]
    public void Batch_limits_follow_the_flush_latency_and_a_big_host_gets_pinned_spinning_writers()
    {
        var disks = new[] { Disk("/d0", 300, 100, 2000), Disk("/d1", 300, 100, 500) };

        var profile = HardwareProfileReader.Parse(ProfileChoices.ToJson("big", 16, disks, EqualSends, d => d), "big");

        Assert.Equal(128, profile.Ring.MaxBatchEntries); // slowest p99 2 ms / 10 µs per entry = 200, down to a power of two
        Assert.Equal(1024, profile.Ring.Size);
        Assert.Equal(WaitStrategies.BusySpin, profile.Ring.WaitStrategy);
        Assert.Equal([1, 2], profile.Devices.Select(d => d.WriterCore!.Value));
        Assert.True(profile.Gc.Server);
        Assert.Equal(48L << 20, profile.Segments.PrepareAheadBytes); // a tenth of a second at 500 MB/s: 50 MB, 48 MiB
        Assert.Equal(2, profile.Cleaner.Threads); // one per device
        Assert.Equal(119L << 20, profile.Cleaner.IoMaxBytesPerSecond); // a quarter of 500 MB/s: 125 MB, 119 MiB
    }
}
