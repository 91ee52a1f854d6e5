using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Workloads;

namespace FastLog.LoadGen.Reporting;

/// <summary>Puts a workload's outcome together with the run's options, times and errors.</summary>
internal static class Results
{
    public static RunResult Build(Options options, TopicInfo topic, DateTime startUtc, DateTime endUtc, WorkloadOutcome outcome, IReadOnlyDictionary<string, ErrorSummary> errors) =>
        new(
            WorkloadNames.Name(options.Workload),
            startUtc,
            endUtc,
            new ResultOptions(
                options.Bootstrap.ToString(),
                options.Topic,
                topic.Partitions,
                options.RecordBytes,
                options.Producers,
                options.Acks,
                options.Compression,
                options.LingerMs,
                options.BatchBytes,
                options.DurationSeconds,
                options.WarmupSeconds,
                options.Rate,
                options.Messages),
            new ResultTopic(topic.Name, topic.Partitions, topic.Created),
            outcome.Window,
            Math.Round(outcome.MeasuredSeconds, 3),
            outcome.Counts,
            new ResultRates(
                Math.Round(outcome.Rates.MessagesPerSecond, 1),
                Math.Round(outcome.Rates.MegabytesPerSecond, 3),
                outcome.Rates.ProducedMessagesPerSecond is { } produced ? Math.Round(produced, 1) : null,
                outcome.Rates.TargetMessagesPerSecond),
            outcome.LatencyKind,
            LatencySummaries.Of(outcome.Latency),
            LatencySummaries.Of(outcome.ProduceLatency),
            errors,
            outcome.Notes);
}
