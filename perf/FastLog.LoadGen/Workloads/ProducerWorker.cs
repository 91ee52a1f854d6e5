using Confluent.Kafka;
using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// One producer client and the thread that feeds it. Messages go out with the delivery-handler overload of
/// Produce() and are never awaited one by one, so librdkafka batches them; the handler runs on the client's
/// delivery-report thread and records into this worker's own tally and latency recorders.
/// </summary>
internal sealed class ProducerWorker : IDisposable
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _topic;
    private RunWindow _window = RunWindow.Unbounded(0);
    private ISendPacer _pacer = new AsFastAsPossible();
    private readonly IMessageSource _messages;
    private readonly ErrorCounts _errors;
    private readonly long _limit;
    private readonly CancellationToken _stop;
    private readonly Thread _thread;

    public ProducerWorker(int index, WorkloadContext context, IMessageSource messages, long limit)
    {
        _producer = ClientFactory.Producer(context.Options, index);
        _topic = context.Topic.Name;
        _messages = messages;
        _errors = context.Errors;
        _limit = limit;
        _stop = context.Stop;
        _thread = new Thread(SendLoop) { IsBackground = true, Name = $"producer-{index}" };
    }

    public DeliveryTally Tally { get; } = new();
    public PhasedLatency Latency { get; } = new();
    public bool Finished => !_thread.IsAlive;

    /// <summary>Starts sending; the fields set here are visible to the new thread because Thread.Start publishes them.</summary>
    public void Start(RunWindow window, ISendPacer pacer)
    {
        _window = window;
        _pacer = pacer;
        _thread.Start();
    }

    public void Join() => _thread.Join();

    /// <summary>Waits for in-flight messages; returns how many are still undelivered after <paramref name="timeout"/>.</summary>
    public int Flush(TimeSpan timeout) => _producer.Flush(timeout);

    public void Dispose() => _producer.Dispose();

    private void SendLoop()
    {
        for (long sent = 0; sent < _limit; sent++)
        {
            var due = _pacer.WaitForNext(_window.End, _stop);
            if (due == long.MaxValue || !Send(_messages.Next(due), due))
            {
                return;
            }
        }
    }

    /// <summary>Hands one message to the client, waiting out a full queue; false when the run ended meanwhile.</summary>
    private bool Send(Message<Null, byte[]> message, long due)
    {
        var bytes = message.Value?.Length ?? 0;
        while (true)
        {
            // produce-max measures from the Produce() call that succeeds; a schedule measures from the due time,
            // so the wait for queue space counts against the latency as it should.
            var from = _pacer.MeasuresFromSchedule ? due : Clock.Now;
            try
            {
                _producer.Produce(_topic, message, report => OnDelivery(report, from, bytes));
                Tally.AddSent();
                return true;
            }
            catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue is its backpressure: wait for deliveries to make room, as the Java producer blocks.
                if (Clock.Now >= _window.End || _stop.IsCancellationRequested)
                {
                    return false;
                }
                Thread.Sleep(1);
            }
            catch (KafkaException e)
            {
                // Refused before it was queued (e.g. larger than message.max.bytes): a failed message, not a crash.
                Tally.AddSent();
                Tally.AddFailed();
                _errors.Add(e.Error.Code.ToString(), e.Error.Reason);
                return true;
            }
        }
    }

    private void OnDelivery(DeliveryReport<Null, byte[]> report, long from, int bytes)
    {
        var now = Clock.Now;
        if (report.Error.IsError)
        {
            Tally.AddFailed();
            _errors.Add(report.Error.Code.ToString(), report.Error.Reason);
            return;
        }
        Tally.AddDelivered(bytes, _window.IsMeasured(now));
        Latency.Record(_window.PhaseOf(from), Clock.Micros(now - from));
    }
}
