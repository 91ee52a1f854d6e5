namespace FastLog.Broker.Timers;

/// <summary>
/// What a wheel entry points at. A reusable object (a pooled long poll) is scheduled many times under a new token
/// each time, so an entry of an earlier wait that is still on the wheel is told apart by its token, and no
/// per-wait timer object is allocated.
/// </summary>
public interface ITimerTarget
{
    /// <summary>False once the wait this entry belongs to ended: the wheel drops the entry unrun.</summary>
    bool IsPending(long token);

    /// <summary>The deadline of the wait <paramref name="token"/> passed (on the wheel's thread: keep it short).</summary>
    void Expire(long token);
}
