using FastLog.Broker.Profiles;

namespace FastLog.Broker.Pipeline;

/// <summary>
/// The pipelines of the broker, one per device of the hardware profile; a data dir no device lists (log.dirs
/// set beside the profile, or no profile) is a device of its own.
/// </summary>
public sealed class AppendPipelines : IDisposable
{
    private readonly Dictionary<string, AppendPipeline> _byDataDir = new(StringComparer.Ordinal);
    private readonly List<AppendPipeline> _all = [];

    public AppendPipelines(IEnumerable<string> dataDirs, HardwareProfile profile)
    {
        foreach (var dataDir in dataDirs.Select(Normalize).Distinct(StringComparer.Ordinal))
        {
            if (_byDataDir.ContainsKey(dataDir))
            {
                continue;
            }
            var device = profile.Devices.FirstOrDefault(d => d.DataDirs.Any(dir => Normalize(dir) == dataDir));
            var pipeline = new AppendPipeline(device?.Name ?? Path.GetFileName(dataDir), profile.Ring, device?.WriterCore);
            _all.Add(pipeline);
            // The device's other data dirs in use share its pipeline.
            foreach (var shared in device?.DataDirs.Select(Normalize) ?? [dataDir])
            {
                _byDataDir[shared] = pipeline;
            }
        }
    }

    public IReadOnlyCollection<AppendPipeline> All => _all;

    /// <summary>The pipeline of the device holding a partition folder.</summary>
    public AppendPipeline For(string partitionDirectory) =>
        _byDataDir[Path.GetDirectoryName(Path.GetFullPath(partitionDirectory))!];

    public void Dispose()
    {
        foreach (var pipeline in _all)
        {
            pipeline.Dispose();
        }
    }

    private static string Normalize(string dir) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir));
}
