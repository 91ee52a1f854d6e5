using System.Diagnostics;
using System.Globalization;
using System.Text;
using FastLog.Broker.Cleaner;
using FastLog.Broker.Pipeline;

namespace FastLog.Broker.Metrics;

/// <summary>
/// The broker's metrics in Prometheus' text format: per device ring fill and writer passes (their mean batch
/// size is how much each flush is shared), process CPU time and the runtime's allocation and GC counters (a
/// load run reads them before and after to show what the produce and fetch paths cost per message), and the
/// log cleaner's I/O, cleanings and the dirty ratio of each compacted log. Two histograms split a client's
/// latency: the time the broker took to answer each kind of request, and each device writer's pass time (its
/// writes and flush), which the answer to a produce request includes.
/// </summary>
public sealed class BrokerMetrics(BrokerServices services, AppendPipelines pipelines, RequestMetrics? requests = null, CleanerMetrics? cleaner = null)
{
    /// <summary>The metrics each device's pipeline has, one sample per device.</summary>
    private static readonly (string Name, string Type, string Help, Func<AppendPipeline, double> Value)[] DeviceMetrics =
    [
        ("fastlog_ring_slots", "gauge", "Slots of the device's append ring.", p => p.Ring.Size),
        ("fastlog_ring_fill", "gauge", "Appends published into the ring and not yet handled by its writer.", p => p.Fill),
        ("fastlog_writer_entries_total", "counter", "Produce entries the device's writer handled.", p => p.EntriesProcessed),
        ("fastlog_writer_passes_total", "counter", "Writer passes, each ending in one flush per partition it touched.", p => p.Passes),
        ("fastlog_writer_mean_batch_entries", "gauge", "Mean entries per writer pass since start.", p => p.MeanBatchSize),
    ];

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (name, type, help, value) in DeviceMetrics)
        {
            Header(text, name, type, help);
            foreach (var pipeline in pipelines.All)
            {
                Sample(text, name, pipeline.Device, value(pipeline));
            }
        }

        Header(text, "fastlog_writer_pass_seconds", "histogram", "Time of a writer pass: its appends, one flush per partition, and completing its requests.");
        foreach (var pipeline in pipelines.All)
        {
            Histogram(text, "fastlog_writer_pass_seconds", pipeline.PassTime, ("device", pipeline.Device));
        }
        Header(text, "fastlog_writer_flush_seconds", "histogram", "Time of a writer pass's flushes (an fdatasync per partition it touched that flushes per batch): the device under this load.");
        foreach (var pipeline in pipelines.All)
        {
            Histogram(text, "fastlog_writer_flush_seconds", pipeline.FlushTime, ("device", pipeline.Device));
        }
        if (requests is not null)
        {
            Header(text, "fastlog_request_seconds", "histogram", "Time from a request's last byte read to its response handed to the socket, by API.");
            foreach (var (api, histogram) in requests.Seen())
            {
                Histogram(text, "fastlog_request_seconds", histogram, ("api", api.ToString()));
            }
        }

        Header(text, "fastlog_partitions", "gauge", "Partitions hosted.");
        Sample(text, "fastlog_partitions", null, services.Replicas.All.Length);
        Header(text, "fastlog_fetch_waiting", "gauge", "Fetch long polls waiting in the purgatory for appends or their deadline.");
        Sample(text, "fastlog_fetch_waiting", null, services.WaitingFetches);
        if (cleaner is not null)
        {
            RenderCleaner(text, cleaner);
        }

        using var process = Process.GetCurrentProcess();
        Header(text, "process_cpu_seconds_total", "counter", "User and system CPU time of the broker process.");
        Sample(text, "process_cpu_seconds_total", null, process.TotalProcessorTime.TotalSeconds);
        Header(text, "process_resident_memory_bytes", "gauge", "Resident memory of the broker process.");
        Sample(text, "process_resident_memory_bytes", null, process.WorkingSet64);
        Header(text, "dotnet_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since start.");
        Sample(text, "dotnet_allocated_bytes_total", null, GC.GetTotalAllocatedBytes());
        Header(text, "dotnet_gc_collections_total", "counter", "Garbage collections by generation.");
        for (var generation = 0; generation <= GC.MaxGeneration; generation++)
        {
            text.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{generation}\"}} {GC.CollectionCount(generation)}\n");
        }
        return text.ToString();
    }

    private static void RenderCleaner(StringBuilder text, CleanerMetrics cleaner)
    {
        Header(text, "fastlog_cleaner_bytes_read_total", "counter", "Bytes of log the cleaner read.");
        Sample(text, "fastlog_cleaner_bytes_read_total", null, cleaner.BytesRead);
        Header(text, "fastlog_cleaner_bytes_written_total", "counter", "Bytes of cleaned segments the cleaner wrote.");
        Sample(text, "fastlog_cleaner_bytes_written_total", null, cleaner.BytesWritten);
        Header(text, "fastlog_cleaner_cleanings_total", "counter", "Cleanings of a log that swapped cleaned segments in.");
        Sample(text, "fastlog_cleaner_cleanings_total", null, cleaner.Cleans);
        if (cleaner.LastCleanTimeMs >= 0)
        {
            Header(text, "fastlog_cleaner_last_cleaning_end_seconds", "gauge", "Unix time the last cleaning ended.");
            Sample(text, "fastlog_cleaner_last_cleaning_end_seconds", null, cleaner.LastCleanTimeMs / 1000.0);
            Header(text, "fastlog_cleaner_last_cleaning_duration_seconds", "gauge", "How long the last cleaning took.");
            Sample(text, "fastlog_cleaner_last_cleaning_duration_seconds", null, cleaner.LastCleanDurationMs / 1000.0);
        }
        Header(text, "fastlog_cleaner_dirty_ratio", "gauge", "Dirty bytes over clean plus dirty bytes of a compacted log, as last measured.");
        foreach (var (partition, ratio) in cleaner.DirtyRatios.OrderBy(r => r.Key.Topic, StringComparer.Ordinal).ThenBy(r => r.Key.Partition))
        {
            Sample(text, "fastlog_cleaner_dirty_ratio", ratio, ("topic", partition.Topic), ("partition", partition.Partition.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>A Prometheus histogram: cumulative buckets by upper bound, then the sum and the count.</summary>
    private static void Histogram(StringBuilder text, string name, LatencyHistogram histogram, (string Name, string Value) label)
    {
        var (counts, sum, count) = histogram.Snapshot();
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            var bound = i < LatencyHistogram.UpperBoundsSeconds.Length ? LatencyHistogram.UpperBoundsSeconds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
            Sample(text, name + "_bucket", cumulative, label, ("le", bound));
        }
        Sample(text, name + "_sum", sum, label);
        Sample(text, name + "_count", count, label);
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Sample(StringBuilder text, string name, string? device, double value)
    {
        if (device is null)
        {
            Sample(text, name, value);
        }
        else
        {
            Sample(text, name, value, ("device", device));
        }
    }

    private static void Sample(StringBuilder text, string name, double value, params (string Name, string Value)[] labels)
    {
        text.Append(name);
        for (var i = 0; i < labels.Length; i++)
        {
            text.Append(i == 0 ? '{' : ',').Append(labels[i].Name).Append("=\"")
                .Append(labels[i].Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"');
        }
        text.Append(labels.Length > 0 ? "} " : " ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
