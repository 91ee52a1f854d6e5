using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace FastLog.Benchmarks.Configs;

/// <summary>
/// One invocation per iteration, each appending a fixed number of bytes to files made fresh in the iteration
/// setup: no pilot stage (an operation is tens of milliseconds to seconds) and no disk that fills up.
/// </summary>
public class DiskConfig : ManualConfig
{
    public DiskConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithInvocationCount(1)
            .WithUnrollFactor(1));
    }
}
