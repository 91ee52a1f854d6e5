namespace FastLog.Broker.Pipeline;

/// <summary>How the consumer waits for the next published sequence; chosen by the hardware profile.</summary>
public interface IWaitStrategy
{
    /// <summary>Waits until <paramref name="cursor"/> reaches <paramref name="sequence"/> or cancellation; returns the cursor seen.</summary>
    long WaitFor(long sequence, Sequence cursor, CancellationToken cancellation);

    /// <summary>Producers call it after publishing, so a blocked consumer wakes.</summary>
    void SignalAllWhenBlocking();
}

/// <summary>Spins: the lowest hand-off latency, one core burnt per ring. For hosts with cores to spare.</summary>
public sealed class BusySpinWaitStrategy : IWaitStrategy
{
    public long WaitFor(long sequence, Sequence cursor, CancellationToken cancellation)
    {
        long available;
        while ((available = cursor.Value) < sequence)
        {
            cancellation.ThrowIfCancellationRequested();
            Thread.SpinWait(1);
        }
        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}

/// <summary>Spins briefly, then yields the core: low latency without starving other threads of a small host.</summary>
public sealed class YieldingWaitStrategy : IWaitStrategy
{
    private const int SpinTries = 100;

    public long WaitFor(long sequence, Sequence cursor, CancellationToken cancellation)
    {
        var counter = SpinTries;
        long available;
        while ((available = cursor.Value) < sequence)
        {
            cancellation.ThrowIfCancellationRequested();
            if (counter > 0)
            {
                counter--;
                Thread.SpinWait(4);
            }
            else
            {
                Thread.Yield();
            }
        }
        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}

/// <summary>
/// Sleeps on a monitor until a producer signals: no CPU while idle, at the price of a wake-up per batch.
/// The default (and the ci and laptop profiles'): the wake-up is small next to a flush.
/// </summary>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    private readonly object _lock = new();
    private int _waiting;

    public long WaitFor(long sequence, Sequence cursor, CancellationToken cancellation)
    {
        long available;
        while ((available = cursor.Value) < sequence)
        {
            cancellation.ThrowIfCancellationRequested();
            lock (_lock)
            {
                Interlocked.Increment(ref _waiting);
                try
                {
                    // Re-check under the lock: a publish between the read above and here must not be missed.
                    if (cursor.Value < sequence)
                    {
                        Monitor.Wait(_lock, 10);
                    }
                }
                finally
                {
                    Interlocked.Decrement(ref _waiting);
                }
            }
        }
        return available;
    }

    public void SignalAllWhenBlocking()
    {
        // The publish before this call and the read of _waiting below must not be reordered (store-load),
        // or a consumer going to sleep at that moment would be missed until its timed wait ends.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiting) == 0)
        {
            return; // nobody asleep: publishing costs no lock
        }
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }
    }
}

/// <summary>
/// Spins, then yields for a while, then blocks (Disruptor's phased back-off): under load the writer stays
/// awake between passes and picks up the next entry within microseconds; when idle it sleeps and costs no
/// CPU. For hosts with a core to spare for the yield phase: on a shared 2-core machine at a request per
/// millisecond the writer never reaches the blocking phase, and it measured three times blocking's CPU there.
/// </summary>
public sealed class PhasedBackoffWaitStrategy(TimeSpan yieldFor) : IWaitStrategy
{
    private const int SpinTries = 100;
    private readonly BlockingWaitStrategy _blocking = new();
    private readonly long _yieldTicks = (long)(yieldFor.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    public long WaitFor(long sequence, Sequence cursor, CancellationToken cancellation)
    {
        long available;
        var spins = SpinTries;
        var yieldUntil = 0L;
        while ((available = cursor.Value) < sequence)
        {
            cancellation.ThrowIfCancellationRequested();
            if (spins > 0)
            {
                spins--;
                Thread.SpinWait(4);
                continue;
            }
            var now = System.Diagnostics.Stopwatch.GetTimestamp();
            if (yieldUntil == 0)
            {
                yieldUntil = now + _yieldTicks;
            }
            if (now < yieldUntil)
            {
                Thread.Yield();
                continue;
            }
            return _blocking.WaitFor(sequence, cursor, cancellation);
        }
        return available;
    }

    public void SignalAllWhenBlocking() => _blocking.SignalAllWhenBlocking();
}
