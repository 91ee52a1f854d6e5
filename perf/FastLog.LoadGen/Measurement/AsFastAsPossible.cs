namespace FastLog.LoadGen.Measurement;

/// <summary>No pacing: every message is due now; librdkafka's queue-full backpressure is the only brake.</summary>
internal sealed class AsFastAsPossible : ISendPacer
{
    public bool MeasuresFromSchedule => false;

    public long WaitForNext(long end, CancellationToken stop)
    {
        var now = Clock.Now;
        return now >= end || stop.IsCancellationRequested ? long.MaxValue : now;
    }
}
