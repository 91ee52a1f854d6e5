namespace FastLog.Broker.Pipeline;

/// <summary>
/// The pipelines of the broker, one per device. Until hardware profiles group data dirs by disk, each data
/// dir is its own device.
/// </summary>
public sealed class AppendPipelines : IDisposable
{
    private readonly Dictionary<string, AppendPipeline> _byDataDir;

    public AppendPipelines(IEnumerable<string> dataDirs, int ringSize, Func<IWaitStrategy> waitStrategy)
    {
        _byDataDir = dataDirs
            .Select(d => Path.TrimEndingDirectorySeparator(Path.GetFullPath(d)))
            .Distinct(StringComparer.Ordinal)
            .ToDictionary(d => d, d => new AppendPipeline(d, ringSize, waitStrategy()), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<AppendPipeline> All => _byDataDir.Values;

    /// <summary>The pipeline of the device holding a partition folder.</summary>
    public AppendPipeline For(string partitionDirectory) =>
        _byDataDir[Path.GetDirectoryName(Path.GetFullPath(partitionDirectory))!];

    public void Dispose()
    {
        foreach (var pipeline in _byDataDir.Values)
        {
            pipeline.Dispose();
        }
    }
}
