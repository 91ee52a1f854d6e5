using BenchmarkDotNet.Running;
using FastLog.Benchmarks.Device;
using FastLog.Benchmarks.Fetch;
using FastLog.Benchmarks.Pipeline;
using FastLog.Benchmarks.Produce;

// BenchmarkDotNet's own arguments pass through: --filter '*Crc*', --list flat, --inProcess, ...
// "handoff-latency" runs the ring-versus-channel latency percentiles instead.
// "group-commit" and "pipeline-append" run the append pipeline's throughput comparisons.
// "produce-alloc" counts the bytes a broker allocates per produce request (per fetch with --fetch or --long-poll).
// "idle-fetchers" measures what thousands of consumers long-polling an empty partition cost the broker.
// "fsync-tail" measures the device's fdatasync percentiles, idle and with every core busy.
switch (args.Length > 0 ? args[0] : "")
{
    case "handoff-latency":
        HandoffLatency.Run(args);
        return;
    case "group-commit":
        GroupCommit.Run(args);
        return;
    case "pipeline-append":
        PipelineAppend.Run(args);
        return;
    case "produce-alloc":
        await ProduceAllocation.RunAsync(args);
        return;
    case "idle-fetchers":
        await IdleFetchers.RunAsync(args);
        return;
    case "fsync-tail":
        FsyncTail.Run(args);
        return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
