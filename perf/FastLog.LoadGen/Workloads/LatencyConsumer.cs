using Confluent.Kafka;
using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// The end-to-end consumer: one client on its own thread, reading every partition from where it ended before the
/// run, timing each record from its send stamp (<see cref="SendStamp"/>) to the moment Consume() hands it over.
/// </summary>
internal sealed class LatencyConsumer : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly ErrorCounts _errors;
    private readonly Thread _thread;
    private RunWindow _window = RunWindow.Unbounded(0);
    private long _unmeasured;
    private volatile bool _stop;

    public LatencyConsumer(WorkloadContext context)
    {
        _consumer = ClientFactory.Consumer(context.Options);
        _errors = context.Errors;
        PartitionAssignment.AtEnd(_consumer, context.Topic);
        _thread = new Thread(ConsumeLoop) { IsBackground = true, Name = "consumer" };
    }

    public ConsumeTally Tally { get; } = new();
    public PhasedLatency Latency { get; } = new();

    /// <summary>Consumed records with no send time this run could trust; they count in throughput, not in latency.</summary>
    public long Unmeasured => Interlocked.Read(ref _unmeasured);

    public void Start(RunWindow window)
    {
        _window = window;
        _thread.Start();
    }

    /// <summary>
    /// Waits until <paramref name="records"/> have been consumed, giving up when no record has arrived for
    /// <paramref name="stall"/> (a consumer still catching up keeps going) or after <paramref name="limit"/> in all.
    /// </summary>
    public void WaitFor(long records, TimeSpan stall, TimeSpan limit)
    {
        var now = Clock.Now;
        var deadline = now + Clock.Ticks(limit.TotalSeconds);
        var lastProgress = now;
        var seen = Tally.Read().Records;
        while (seen < records && now < deadline && now - lastProgress < Clock.Ticks(stall.TotalSeconds))
        {
            Thread.Sleep(10);
            now = Clock.Now;
            var count = Tally.Read().Records;
            if (count > seen)
            {
                (seen, lastProgress) = (count, now);
            }
        }
    }

    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            Stop();
        }
        _consumer.Close();
        _consumer.Dispose();
    }

    private void ConsumeLoop()
    {
        while (!_stop)
        {
            ConsumeResult<Ignore, byte[]>? result;
            try
            {
                result = _consumer.Consume(PollTimeout);
            }
            catch (ConsumeException e)
            {
                _errors.Add($"Consume.{e.Error.Code}", e.Error.Reason);
                Thread.Sleep(10);
                continue;
            }
            if (result is null || result.IsPartitionEOF)
            {
                continue;
            }
            var now = Clock.Now;
            Tally.Add(result.Message.Value?.Length ?? 0, _window.IsMeasured(now));
            if (SendStamp.Read(result.Message, _window.Start, now) is { } sentAt)
            {
                Latency.Record(_window.PhaseOf(sentAt), Clock.Micros(now - sentAt));
            }
            else
            {
                Interlocked.Increment(ref _unmeasured);
            }
        }
    }
}
