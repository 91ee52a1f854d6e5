using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace FastLog.Benchmarks.Configs;

/// <summary>
/// A short job for in-memory benchmarks: few iterations so the whole suite fits in minutes on a small machine.
/// Ratios against the same-run baseline are the figures to trust; absolute times drift with other load.
/// </summary>
public class CpuConfig : ManualConfig
{
    public CpuConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
    }
}
