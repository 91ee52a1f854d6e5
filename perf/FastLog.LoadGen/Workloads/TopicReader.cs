using Confluent.Kafka;
using FastLog.LoadGen.Kafka;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// The consume workload's reader: one client on its own thread, reading every partition from the beginning until
/// each has reported its end (partition EOF) or the run is stopped.
/// </summary>
internal sealed class TopicReader : IDisposable
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IConsumer<Ignore, byte[]> _consumer;
    private readonly ErrorCounts _errors;
    private readonly bool[] _atEnd;
    private readonly Thread _thread;
    private RunWindow _window = RunWindow.Unbounded(0);
    private long _firstRecordAt;
    private long _lastRecordAt;
    private volatile bool _stop;
    private volatile bool _reachedEnd;

    public TopicReader(WorkloadContext context)
    {
        _consumer = ClientFactory.Consumer(context.Options);
        _errors = context.Errors;
        _atEnd = new bool[context.Topic.Partitions];
        PartitionAssignment.FromBeginning(_consumer, context.Topic);
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = "reader" };
    }

    public ConsumeTally Tally { get; } = new();

    /// <summary>Every partition reported its end.</summary>
    public bool ReachedEnd => _reachedEnd;

    /// <summary>Clock instants of the first and last record received; 0 before the first.</summary>
    public long FirstRecordAt => Interlocked.Read(ref _firstRecordAt);

    public long LastRecordAt => Interlocked.Read(ref _lastRecordAt);

    public void Start(RunWindow window)
    {
        _window = window;
        _thread.Start();
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

    private void ReadLoop()
    {
        var partitionsAtEnd = 0;
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
            if (result is null)
            {
                continue;
            }
            var partition = result.Partition.Value;
            if (result.IsPartitionEOF)
            {
                if (!_atEnd[partition])
                {
                    _atEnd[partition] = true;
                    if (++partitionsAtEnd == _atEnd.Length)
                    {
                        _reachedEnd = true;
                        return;
                    }
                }
                continue;
            }
            if (_atEnd[partition])
            {
                _atEnd[partition] = false; // someone wrote more after its end was reported
                partitionsAtEnd--;
            }
            var now = Clock.Now;
            if (FirstRecordAt == 0)
            {
                Interlocked.Exchange(ref _firstRecordAt, now);
            }
            Interlocked.Exchange(ref _lastRecordAt, now);
            Tally.Add(result.Message.Value?.Length ?? 0, _window.IsMeasured(now));
        }
    }
}
