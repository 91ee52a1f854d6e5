using System.Diagnostics.Tracing;

namespace FastLog.Benchmarks.Support;

/// <summary>The runtime's GCAllocationTick events (about one per 100 KB allocated), summed by type.</summary>
internal sealed class AllocationTally : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytes = [];
    private readonly Lock _lock = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "GCAllocationTick_V4" || e.Payload is null)
        {
            return;
        }
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
        lock (_lock)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }

    public void Print(long requests)
    {
        lock (_lock)
        {
            Console.WriteLine("sampled bytes per request, by type (includes this listener's own allocations):");
            foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(30))
            {
                Console.WriteLine($"  {(double)bytes / requests,8:F1} B  {type}");
            }
        }
    }
}
