using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using FastLog.Storage.Cleaner;

namespace FastLog.Benchmarks.Cleaner;

/// <summary>
/// The cleaner's key map for one million distinct keys: a map sized for them (at its 0.9 load factor) filled
/// once. The Allocated column is the map's memory per million keys (its one buffer; the keys are made in the
/// setup); the time is the cost of hashing and inserting them.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(OffsetMapConfig))]
public class OffsetMapBenchmarks
{
    public const int KeyCount = 1_000_000;
    private byte[][] _keys = [];

    [GlobalSetup]
    public void Setup() => _keys = [.. Enumerable.Range(0, KeyCount).Select(k => Encoding.UTF8.GetBytes($"user-{k:D10}"))];

    [Benchmark]
    public int FillMapOfOneMillionKeys()
    {
        var map = new OffsetMap((long)Math.Ceiling(KeyCount / OffsetMap.LoadFactor) * OffsetMap.BytesPerEntry);
        for (var i = 0; i < _keys.Length; i++)
        {
            map.Put(_keys[i], i);
        }
        return map.Count;
    }

    private sealed class OffsetMapConfig : ManualConfig
    {
        public OffsetMapConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(5));
    }
}
