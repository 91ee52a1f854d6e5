using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>The --producers workers of a run, started together and drained together, with their figures summed.</summary>
internal sealed class ProducerGroup : IDisposable
{
    /// <summary>Past librdkafka's own delivery timeout, so every message has been reported one way or the other.</summary>
    private static readonly TimeSpan DrainTimeout = ClientConfigs.DeliveryTimeout + TimeSpan.FromSeconds(5);

    private readonly ProducerWorker[] _workers;
    private readonly WorkloadContext _context;
    private bool _disposed;

    /// <param name="messages">Makes the message source of producer i of n.</param>
    /// <param name="limit">Messages over all producers; long.MaxValue to run until the window ends.</param>
    public ProducerGroup(WorkloadContext context, Func<int, int, IMessageSource> messages, long limit)
    {
        _context = context;
        var n = context.Options.Producers;
        _workers = new ProducerWorker[n];
        for (var i = 0; i < n; i++)
        {
            var share = limit == long.MaxValue ? long.MaxValue : (limit / n) + (i < limit % n ? 1 : 0);
            _workers[i] = new ProducerWorker(i, context, messages(i, n), share);
            Latency.Track(_workers[i].Latency);
        }
    }

    public LatencyTotals Latency { get; } = new();

    public bool AllFinished => _workers.All(w => w.Finished);

    /// <summary>
    /// Starts every sending thread. The clients exist already, so the window opens after their construction; their
    /// connections are made in the first moments of the warmup.
    /// </summary>
    /// <param name="pacer">Makes the pacer of producer i of n.</param>
    public void Start(RunWindow window, Func<int, int, ISendPacer> pacer)
    {
        for (var i = 0; i < _workers.Length; i++)
        {
            _workers[i].Start(window, pacer(i, _workers.Length));
        }
    }

    public TallySnapshot Read() => _workers.Aggregate(default(TallySnapshot), (sum, w) => sum + w.Tally.Read());

    /// <summary>
    /// Waits for the sending threads (which stop at the window's end), then for every in-flight message, then closes
    /// the clients. Messages still unreported after that are counted as failed, so nothing goes missing silently.
    /// Returns the final counts; the latency totals are drained last, so they hold every report.
    /// </summary>
    public TallySnapshot StopAndDrain()
    {
        foreach (var worker in _workers)
        {
            worker.Join();
        }
        var inFlight = Read().Outstanding;
        if (inFlight > 0)
        {
            _context.Progress.Note($"draining {inFlight:N0} in-flight messages (at most {DrainTimeout.TotalSeconds:0} s)");
        }
        var deadline = DateTime.UtcNow + DrainTimeout;
        foreach (var worker in _workers)
        {
            var left = deadline - DateTime.UtcNow;
            worker.Flush(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        Dispose();
        var final = Read();
        if (final.Outstanding > 0)
        {
            _context.Errors.Add("Undelivered", $"no delivery report within {DrainTimeout.TotalSeconds:0} s of the end", final.Outstanding);
        }
        Latency.Drain();
        return final;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }
}
