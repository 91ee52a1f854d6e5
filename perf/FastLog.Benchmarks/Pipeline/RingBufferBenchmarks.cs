using BenchmarkDotNet.Attributes;
using FastLog.Benchmarks.Configs;

namespace FastLog.Benchmarks.Pipeline;

/// <summary>
/// Hand-off throughput: one operation moves 1,000,000 items from the producers to the consumer.
/// Baseline: a bounded System.Threading.Channels channel of the same capacity, driven the same way.
/// </summary>
[Config(typeof(CpuConfig))]
[MemoryDiagnoser]
public class RingBufferBenchmarks
{
    private const int Items = 1_000_000;

    [Params(1, 2)]
    public int Producers { get; set; }

    [Benchmark(Baseline = true, OperationsPerInvoke = Items)]
    public void Channel() => RingVersusChannel.Channel(Producers, Items / Producers, measureLatency: false);

    [Benchmark(OperationsPerInvoke = Items)]
    public void Ring() => RingVersusChannel.Ring(Producers, Items / Producers, measureLatency: false);
}
