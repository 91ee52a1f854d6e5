using System.IO.Hashing;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using FastLog.Benchmarks.Configs;
using FastLog.Protocol;

namespace FastLog.Benchmarks;

/// <summary>
/// FastLog's CRC-32C against the library call it must keep up with: every produced batch is checked once on
/// append and once in recovery, so a slower checksum shows directly in produce throughput.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class Crc32CBenchmarks
{
    private byte[] _data = [];

    [Params(1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(42).NextBytes(_data);
    }

    [Benchmark(Baseline = true)]
    public uint Library() => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, _data);

    [Benchmark]
    public uint FastLog() => Crc32C.Compute(_data);

    private sealed class Config : CpuConfig
    {
        public Config() => AddColumn(new ThroughputColumn("GB/s", 1e9, BytesOf));

        private static long BytesOf(BenchmarkCase benchmarkCase) => Convert.ToInt64(benchmarkCase.Parameters[nameof(Size)]);
    }
}
