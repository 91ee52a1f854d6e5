using System.Text.Json.Serialization;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Reporting;

/// <summary>One run's results: what --json writes and the summary prints. perf/README.md documents each field.</summary>
internal sealed record RunResult(
    string Workload,
    DateTime StartUtc,
    DateTime EndUtc,
    ResultOptions Options,
    ResultTopic Topic,
    string Window,
    double MeasuredSeconds,
    ResultCounts Counts,
    ResultRates Rates,
    string? LatencyKind,
    LatencySummary? LatencyMicros,
    LatencySummary? ProduceLatencyMicros,
    IReadOnlyDictionary<string, ErrorSummary> Errors,
    IReadOnlyList<string> Notes,
    ResultBroker? Broker = null,
    ResultFsync? Fsync = null);

internal sealed record ResultOptions(
    string Bootstrap,
    string? Topic,
    int Partitions,
    int RecordBytes,
    int Producers,
    string Acks,
    string Compression,
    int LingerMs,
    int? BatchBytes,
    double DurationSeconds,
    double WarmupSeconds,
    double? Rate,
    long? Messages);

internal sealed record ResultTopic(string Name, int Partitions, bool Created);

/// <summary>Message counts. Null where a count does not apply to the workload.</summary>
internal sealed record ResultCounts(
    long? Sent,
    long? Delivered,
    long? Failed,
    long? Undelivered,
    long? MeasuredDelivered,
    long? Consumed,
    long? MeasuredConsumed,
    long? NotConsumed);

internal sealed record ResultRates(
    double MessagesPerSecond,
    double MegabytesPerSecond,
    double? ProducedMessagesPerSecond,
    double? TargetMessagesPerSecond);

/// <summary>Latency percentiles in microseconds, from an HdrHistogram with 3 significant digits.</summary>
internal sealed record LatencySummary(
    long Count,
    long Min,
    double Mean,
    long P50,
    long P90,
    long P99,
    [property: JsonPropertyName("p999")] long P999,
    [property: JsonPropertyName("p9999")] long P9999,
    long Max);

/// <summary>The broker's side of the run, from its metrics before and after (whole run, warmup included).</summary>
internal sealed record ResultBroker(
    double CpuSeconds,
    double CpuSecondsPerMillionMessages,
    double MeanWriterBatchEntries,
    double AllocatedBytes,
    double AllocatedBytesPerMessage,
    IReadOnlyList<long> GcCollectionsByGeneration,
    double? AllocatedBytesPerProduceRequest = null,
    ResultBrokerLatency? ProduceAnswer = null,
    ResultBrokerLatency? DeviceFlush = null);

/// <summary>
/// A broker-side latency over the run, from its metrics' histogram buckets: each quantile is "at most" the upper
/// bound of its bucket, in microseconds (null: beyond the last bound). The produce answer time (last byte read
/// to response handed to the socket) and the writer's flushes split a client's latency into broker, device and
/// the rest (network and client).
/// </summary>
internal sealed record ResultBrokerLatency(long Count, double? P50AtMost, double? P99AtMost, double? P999AtMost);

/// <summary>fdatasync latency of the broker's device, measured before and after the run, in microseconds.</summary>
internal sealed record ResultFsync(
    string Directory,
    long Samples,
    double P50,
    double P99,
    double? ProduceP99TargetMicros,
    bool? ProduceP99Met);
