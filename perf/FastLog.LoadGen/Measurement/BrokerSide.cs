using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Measurement;

/// <summary>Reads the broker's metrics and the device's fdatasync latency around a run, as the options ask.</summary>
internal sealed class BrokerSide(Options options)
{
    /// <summary>Produce p99 may exceed the device's fdatasync p99 by this much (the issue's target).</summary>
    public const double ProduceP99AllowanceMicros = 500;

    private BrokerScrape? _before;
    private readonly List<double> _fsyncMicros = [];

    public void Before()
    {
        if (options.FsyncDirectory is { } dir)
        {
            _fsyncMicros.AddRange(FsyncProbe.MeasureMicros(dir));
        }
        if (options.BrokerMetricsUrl is { } url)
        {
            _before = BrokerScrape.Read(url);
        }
    }

    public RunResult After(RunResult result)
    {
        ResultBroker? broker = null;
        if (_before is not null && options.BrokerMetricsUrl is { } url)
        {
            var after = BrokerScrape.Read(url);
            var messages = Math.Max(1, result.Counts.Delivered ?? result.Counts.Consumed ?? 0);
            var cpu = after.Get("process_cpu_seconds_total") - _before.Get("process_cpu_seconds_total");
            var entries = after.Sum("fastlog_writer_entries_total") - _before.Sum("fastlog_writer_entries_total");
            var passes = after.Sum("fastlog_writer_passes_total") - _before.Sum("fastlog_writer_passes_total");
            var allocated = after.Get("dotnet_allocated_bytes_total") - _before.Get("dotnet_allocated_bytes_total");
            // Every produce answer is counted by the broker's request histogram: allocation per request, which is
            // what the produce path's cost scales with (per message it depends on how many records a request has).
            var produceAnswer = BrokerHistogram.Over(_before, after, "fastlog_request_seconds", "api=\"Produce\"");
            var collections = Enumerable.Range(0, 3)
                .Select(g => (long)(after.Get($"dotnet_gc_collections_total{{generation=\"{g}\"}}") - _before.Get($"dotnet_gc_collections_total{{generation=\"{g}\"}}")))
                .ToList();
            broker = new ResultBroker(
                Math.Round(cpu, 3),
                Math.Round(cpu / messages * 1e6, 3),
                passes > 0 ? Math.Round(entries / passes, 2) : 0,
                allocated,
                Math.Round(allocated / messages, 2),
                collections,
                produceAnswer is { Count: > 0 } ? Math.Round(allocated / produceAnswer.Count, 1) : null,
                produceAnswer,
                BrokerHistogram.Over(_before, after, "fastlog_writer_flush_seconds", null));
        }
        ResultFsync? fsync = null;
        if (options.FsyncDirectory is { } dir)
        {
            _fsyncMicros.AddRange(FsyncProbe.MeasureMicros(dir));
            var sorted = _fsyncMicros.Order().ToArray();
            var p50 = sorted[(int)Math.Ceiling(0.50 * sorted.Length) - 1];
            var p99 = sorted[(int)Math.Ceiling(0.99 * sorted.Length) - 1];
            double? target = result.Workload == "produce-rate" ? p99 + ProduceP99AllowanceMicros : null;
            bool? met = target is { } t && result.LatencyMicros is { } latency ? latency.P99 <= t : null;
            fsync = new ResultFsync(dir, sorted.Length, Math.Round(p50, 1), Math.Round(p99, 1), target is null ? null : Math.Round(target.Value, 1), met);
        }
        return result with { Broker = broker, Fsync = fsync };
    }
}
