using FastLog.Broker.Metrics;
using FastLog.Broker.Profiles;

namespace FastLog.Broker.Pipeline;

/// <summary>
/// One device's append pipeline: a ring that network threads publish into and one writer thread that drains
/// it in passes. Partitions are placed on a device and stay there, so one partition's appends keep their order.
/// </summary>
public sealed class AppendPipeline : IDisposable
{
    private readonly BatchEventProcessor<AppendEntry, DeviceWriter> _processor;
    private readonly Thread _writer;
    private readonly CancellationTokenSource _stop = new();

    public AppendPipeline(string device, RingProfile ring, int? writerCore = null)
    {
        Device = device;
        Ring = new RingBuffer<AppendEntry>(ring.Size, () => new AppendEntry(), WaitStrategyFactory.Create(ring.WaitStrategy));
        _processor = new BatchEventProcessor<AppendEntry, DeviceWriter>(Ring, new DeviceWriter(PassTime, FlushTime), ring.MaxBatchEntries);
        _writer = new Thread(() =>
        {
            t_isWriter = true;
            if (writerCore is { } core)
            {
                ThreadAffinity.PinCurrentThread(core);
            }
            _processor.Run(_stop.Token);
        })
        { IsBackground = true, Name = $"fastlog-writer {device}" };
        _writer.Start();
    }

    public string Device { get; }

    [ThreadStatic]
    private static bool t_isWriter;

    /// <summary>True on a device writer's thread: code its completions run inline must not hold it up for long.</summary>
    public static bool OnWriterThread => t_isWriter;

    /// <summary>How long the writer's passes take: writes, flushes and completions (a metric).</summary>
    public LatencyHistogram PassTime { get; } = new();

    /// <summary>How long a pass's flushes take (fdatasync per partition touched): the device's latency under this load (a metric).</summary>
    public LatencyHistogram FlushTime { get; } = new();
    public RingBuffer<AppendEntry> Ring { get; }

    /// <summary>Mean entries per writer pass: how much each flush is shared (a metric).</summary>
    public double MeanBatchSize => _processor.Passes == 0 ? 0 : (double)_processor.EntriesProcessed / _processor.Passes;

    /// <summary>Entries handled and writer passes since start (metrics; their ratio is the mean batch size).</summary>
    public long EntriesProcessed => _processor.EntriesProcessed;
    public long Passes => _processor.Passes;

    /// <summary>Slots claimed but not yet handled by the writer: the ring's fill level (a metric).</summary>
    public long Fill => Ring.Occupancy;

    /// <summary>
    /// Claims a slot, waiting while the ring is full: the calling network loop stops reading meanwhile, which is
    /// the backpressure a producer feels instead of the broker buffering without bound.
    /// </summary>
    public long Claim()
    {
        var spin = new SpinWait();
        long sequence;
        while (!Ring.TryNext(out sequence))
        {
            // A full ring lasts as long as a flush or more: after a few spins and yields this sleeps, so waiting
            // producers do not take the cores the writer and the rest of the broker need.
            spin.SpinOnce();
        }
        return sequence;
    }

    public void Dispose()
    {
        _stop.Cancel();
        Ring.WaitStrategy.SignalAllWhenBlocking();
        _writer.Join();
        _stop.Dispose();
    }
}
