using System.Diagnostics;
using System.Globalization;
using System.Text;
using FastLog.Broker.Pipeline;

namespace FastLog.Broker.Metrics;

/// <summary>
/// The broker's metrics in Prometheus' text format: per device ring fill and writer passes (their mean batch
/// size is how much each flush is shared), process CPU time and the runtime's allocation and GC counters (a
/// load run reads them before and after to show what the produce and fetch paths cost per message).
/// </summary>
public sealed class BrokerMetrics(BrokerServices services, AppendPipelines pipelines)
{
    public string Render()
    {
        var text = new StringBuilder();
        Header(text, "fastlog_ring_slots", "gauge", "Slots of the device's append ring.");
        foreach (var p in pipelines.All)
        {
            Sample(text, "fastlog_ring_slots", p.Device, p.Ring.Size);
        }
        Header(text, "fastlog_ring_fill", "gauge", "Appends published into the ring and not yet handled by its writer.");
        foreach (var p in pipelines.All)
        {
            Sample(text, "fastlog_ring_fill", p.Device, p.Fill);
        }
        Header(text, "fastlog_writer_entries_total", "counter", "Produce entries the device's writer handled.");
        foreach (var p in pipelines.All)
        {
            Sample(text, "fastlog_writer_entries_total", p.Device, p.EntriesProcessed);
        }
        Header(text, "fastlog_writer_passes_total", "counter", "Writer passes, each ending in one flush per partition it touched.");
        foreach (var p in pipelines.All)
        {
            Sample(text, "fastlog_writer_passes_total", p.Device, p.Passes);
        }
        Header(text, "fastlog_writer_mean_batch_entries", "gauge", "Mean entries per writer pass since start.");
        foreach (var p in pipelines.All)
        {
            Sample(text, "fastlog_writer_mean_batch_entries", p.Device, p.MeanBatchSize);
        }

        Header(text, "fastlog_partitions", "gauge", "Partitions hosted.");
        Sample(text, "fastlog_partitions", null, services.Replicas.All.Count());

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

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Sample(StringBuilder text, string name, string? device, double value)
    {
        text.Append(name);
        if (device is not null)
        {
            text.Append("{device=\"").Append(device.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"}");
        }
        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
