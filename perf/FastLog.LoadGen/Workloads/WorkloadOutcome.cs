using FastLog.LoadGen.Reporting;
using HdrHistogram;

namespace FastLog.LoadGen.Workloads;

/// <summary>What a workload measured, before the runner adds the options, times and errors around it.</summary>
internal sealed record WorkloadOutcome(
    string Window,
    double MeasuredSeconds,
    ResultCounts Counts,
    ResultRates Rates,
    string? LatencyKind,
    HistogramBase? Latency,
    HistogramBase? ProduceLatency,
    IReadOnlyList<string> Notes)
{
    /// <summary>Every message of the run was acknowledged (and, end-to-end, consumed).</summary>
    public bool AllDelivered => (Counts.Failed ?? 0) + (Counts.Undelivered ?? 0) + (Counts.NotConsumed ?? 0) == 0;

    public const string AfterWarmup = "after-warmup";
    public const string WholeRead = "whole-read";
    public const string None = "none";
}
