using System.Globalization;
using System.Text;
using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Workloads;

namespace FastLog.LoadGen.Reporting;

/// <summary>The text printed before and after a run.</summary>
internal static class Summary
{
    public static string Header(Options o, TopicInfo topic)
    {
        var partitions = topic.Partitions == 1 ? "1 partition" : $"{topic.Partitions} partitions";
        var batch = o.BatchBytes is { } b ? $"{b} B" : "default";
        var rate = o.Rate is { } r ? $", rate {Units.Count(r)} msg/s" : "";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{WorkloadNames.Name(o.Workload)} on {o.Bootstrap}, topic {topic.Name} ({partitions}{(topic.Created ? ", fresh" : "")}): "
            + $"{o.RecordBytes} B records, {o.Producers} producer(s), acks={o.Acks}, compression {o.Compression}, linger {o.LingerMs} ms, "
            + $"batch {batch}{rate}; warmup {o.WarmupSeconds} s + {o.DurationSeconds} s");
    }

    public static string Text(RunResult r)
    {
        var text = new StringBuilder();
        var window = r.Window switch
        {
            WorkloadOutcome.AfterWarmup when r.Options.WarmupSeconds == 0 => $"{Units.Seconds(r.MeasuredSeconds)} measured, no warmup",
            WorkloadOutcome.AfterWarmup => $"{Units.Seconds(r.MeasuredSeconds)} measured after a {r.Options.WarmupSeconds} s warmup",
            WorkloadOutcome.WholeRead => $"{Units.Seconds(r.MeasuredSeconds)}, the whole read",
            _ => "nothing measured",
        };
        text.AppendLine(CultureInfo.InvariantCulture, $"{r.Workload}: {window}");
        var target = r.Rates.TargetMessagesPerSecond is { } t ? $"   (target {Units.Count(t)} msg/s)" : "";
        var what = r.Workload is "end-to-end" or "consume" ? "consumed" : "acknowledged";
        text.AppendLine(CultureInfo.InvariantCulture, $"  throughput  {Units.Count(r.Rates.MessagesPerSecond)} msg/s  {Units.MegabytesPerSecond(r.Rates.MegabytesPerSecond * 1e6)} {what}{target}");
        if (r.Rates.ProducedMessagesPerSecond is { } produced)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  produced    {Units.Count(produced)} msg/s acknowledged");
        }
        if (r.LatencyMicros is { } latency)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  latency     {Percentiles(latency)}   [{r.LatencyKind}, {Units.Count(latency.Count)} messages]");
        }
        if (r.ProduceLatencyMicros is { } produce)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  produce     {Percentiles(produce)}   [send to acknowledgement]");
        }
        var c = r.Counts;
        if (c.Sent is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  messages    sent {Units.Count(c.Sent.Value)}, acknowledged {Units.Count(c.Delivered ?? 0)}, failed {Units.Count(c.Failed ?? 0)}, undelivered {Units.Count(c.Undelivered ?? 0)}{(r.Workload == "consume" ? " (preload)" : "")}");
        }
        if (c.Consumed is not null)
        {
            var lost = c.NotConsumed is > 0 ? $", NOT consumed {Units.Count(c.NotConsumed.Value)}" : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"  consumed    {Units.Count(c.Consumed.Value)} (in the window {Units.Count(c.MeasuredConsumed ?? 0)}){lost}");
        }
        if (r.Broker is { } b)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  broker      CPU {b.CpuSeconds:F2} s ({b.CpuSecondsPerMillionMessages:F2} s per million messages), mean writer batch {b.MeanWriterBatchEntries:F1} entries, allocated {b.AllocatedBytesPerMessage:F1} B/message, GCs gen0/1/2 {string.Join('/', b.GcCollectionsByGeneration)}   [whole run]");
            if (b.ProduceAnswer is { } answer)
            {
                var perRequest = b.AllocatedBytesPerProduceRequest is { } bytes ? string.Create(CultureInfo.InvariantCulture, $", {bytes:F0} B allocated per request") : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"  broker      produce answered in {AtMost(answer)}   [{Units.Count(answer.Count)} requests{perRequest}, from the broker's histogram]");
            }
            if (b.DeviceFlush is { } flush)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  broker      writer flushes took {AtMost(flush)}   [{Units.Count(flush.Count)} passes: the device under this load]");
            }
        }
        if (r.Fsync is { } f)
        {
            var verdict = f.ProduceP99Met is { } met
                ? $"; produce p99 {(met ? "within" : "ABOVE")} fdatasync p99 + 0.5 ms = {Units.Latency((long)f.ProduceP99TargetMicros!.Value)}"
                : "";
            text.AppendLine(CultureInfo.InvariantCulture, $"  fdatasync   p50 {Units.Latency((long)f.P50)}  p99 {Units.Latency((long)f.P99)}   [{f.Samples} synced 4 KiB overwrites in {f.Directory}]{verdict}");
        }
        foreach (var (code, error) in r.Errors)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  error       {code} x {Units.Count(error.Count)}: {error.FirstReason}");
        }
        foreach (var note in r.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  note: {note}");
        }
        return text.ToString();
    }

    private static string AtMost(ResultBrokerLatency latency) =>
        $"p50 <= {Bound(latency.P50AtMost)}  p99 <= {Bound(latency.P99AtMost)}  p99.9 <= {Bound(latency.P999AtMost)}";

    private static string Bound(double? micros) => micros is { } us ? Units.Latency((long)us) : "beyond 10 s";

    private static string Percentiles(LatencySummary l) =>
        $"p50 {Units.Latency(l.P50)}  p99 {Units.Latency(l.P99)}  p99.9 {Units.Latency(l.P999)}  p99.99 {Units.Latency(l.P9999)}  max {Units.Latency(l.Max)}";
}
