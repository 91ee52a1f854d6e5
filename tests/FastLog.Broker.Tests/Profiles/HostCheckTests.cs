using FastLog.Broker.Profiles;

namespace FastLog.Broker.Tests.Profiles;

public sealed class HostCheckTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("fastlog-hostcheck-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private HardwareProfile Profile(string dataDir, int? writerCore = null, IReadOnlyList<int>? processCores = null) => new()
    {
        Name = "host",
        Devices = [new DeviceProfile("d0", [dataDir], writerCore)],
        Cpu = new CpuProfile { ProcessCores = processCores ?? [] },
    };

    [Fact]
    public void A_profile_that_fits_the_host_passes_and_its_data_dir_is_created()
    {
        var dir = Path.Combine(_root, "data");

        HostCheck.Run(Profile(dir, writerCore: 1, processCores: [0, 1]), [dir], hostCores: 2);

        Assert.True(Directory.Exists(dir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir)); // the write check leaves nothing behind
    }

    [Fact]
    public void A_data_dir_that_cannot_be_written_is_refused_with_the_field_named()
    {
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "not a directory");
        var dir = Path.Combine(file, "data");

        var error = Assert.Throws<ProfileException>(() => HostCheck.Run(Profile(dir), [dir], hostCores: 2));

        Assert.Contains("devices[0].dataDirs[0]", error.Message);
        Assert.Contains("is not a writable directory", error.Message);
    }

    [Fact]
    public void A_data_dir_that_log_dirs_replaced_is_not_checked()
    {
        var unusable = Path.Combine(_root, "a-file");
        File.WriteAllText(unusable, "");

        HostCheck.Run(Profile(Path.Combine(unusable, "data")), [Path.Combine(_root, "other")], hostCores: 2);
    }

    [Fact]
    public void Pinning_a_writer_to_a_core_the_host_lacks_is_refused()
    {
        var dir = Path.Combine(_root, "data");

        var error = Assert.Throws<ProfileException>(() => HostCheck.Run(Profile(dir, writerCore: 2), [dir], hostCores: 2));

        Assert.Contains("devices[0].writerCore: core 2 does not exist: this host has 2 cores (0-1)", error.Message);
    }

    [Fact]
    public void More_process_cores_than_the_host_has_are_refused()
    {
        var dir = Path.Combine(_root, "data");

        var error = Assert.Throws<ProfileException>(() => HostCheck.Run(Profile(dir, processCores: [0, 1, 2, 3]), [dir], hostCores: 2));

        Assert.Contains("cpu.processCores[2]: core 2 does not exist", error.Message);
    }

    [Fact]
    public void A_writer_core_outside_the_process_cores_is_refused()
    {
        var dir = Path.Combine(_root, "data");

        var error = Assert.Throws<ProfileException>(() => HostCheck.Run(Profile(dir, writerCore: 0, processCores: [1]), [dir], hostCores: 2));

        Assert.Contains("devices[0].writerCore: core 0 is outside cpu.processCores", error.Message);
    }
}
