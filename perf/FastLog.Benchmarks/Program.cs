using BenchmarkDotNet.Running;
using FastLog.Benchmarks.Pipeline;

// BenchmarkDotNet's own arguments pass through: --filter '*Crc*', --list flat, --inProcess, ...
// "handoff-latency" runs the ring-versus-channel latency percentiles instead.
if (args.Length > 0 && args[0] == "handoff-latency")
{
    HandoffLatency.Run(args);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
