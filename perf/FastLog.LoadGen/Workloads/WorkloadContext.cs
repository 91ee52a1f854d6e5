using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;
using FastLog.LoadGen.Reporting;

namespace FastLog.LoadGen.Workloads;

/// <summary>What every workload gets: the options, the topic, the shared error counts, the progress line and Ctrl+C.</summary>
internal sealed record WorkloadContext(Options Options, TopicInfo Topic, ErrorCounts Errors, ProgressLine Progress, CancellationToken Stop);
