using System.Threading.Tasks.Sources;
using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Broker.Timers;

namespace FastLog.Broker.Requests;

/// <summary>
/// The long poll of a pooled <see cref="FetchExchange"/>: a delayed operation in the purgatory, watched by every
/// partition whose read found nothing and by the purgatory's timer wheel for its deadline. The first of an append,
/// the deadline or the connection's end wakes it; it then reads again on the thread pool (never on the device
/// writer or the wheel's thread) and either answers or waits again.
/// Allocation-free: each wait has a new token that the partitions and the wheel hold with this object, so a call
/// for an earlier wait (a partition's append racing the deadline, a wheel entry still in its bucket after an
/// append woke the wait, even after the exchange went back to its pool) finds another token and does nothing.
/// </summary>
internal sealed class FetchLongPoll(FetchExchange exchange) : IValueTaskSource<Response>, IAppendWatcher, ITimerTarget, IThreadPoolWorkItem
{
    // Held while a wait is set up and while a woken wait reads again: an append that wakes the wait while it is
    // still being set up is served only after the set-up, so the two never touch the exchange at once.
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<Response> _core; // continuations (the send loop) run where the wait ends
    private FetchHandler? _handler;
    private BrokerServices? _broker; // its purgatory's wheel holds the deadline; it counts the waiting fetches
    private CancellationToken _cancellation;
    private CancellationTokenRegistration _registration;
    private long _lastToken; // never reset: no token is used twice by this object, across its uses from the pool
    private long _waiting; // the token of the wait in progress; 0 when none
    private bool _onWheel; // the wait in progress has an entry on the wheel
    private bool _expired; // the wait ended by the wheel's call

    /// <summary>
    /// Waits until the fetch can be answered: the exchange's first read found less than min.bytes, and set each
    /// slot's <see cref="FetchExchange.PartitionWork.WaitOn"/> where an append could bring more.
    /// </summary>
    public ValueTask<Response> Start(FetchHandler handler, BrokerServices broker, CancellationToken cancellation)
    {
        _handler = handler;
        _broker = broker;
        _cancellation = cancellation;
        var version = _core.Version;
        if (cancellation.CanBeCanceled)
        {
            _registration = cancellation.UnsafeRegister(static poll => ((FetchLongPoll)poll!).Interrupt(), this);
        }
        broker.FetchWaitStarted();
        try
        {
            lock (_lock)
            {
                WaitLocked();
            }
        }
        catch
        {
            broker.FetchWaitEnded();
            _registration.Dispose();
            _registration = default;
            throw;
        }
        return new ValueTask<Response>(this, version);
    }

    /// <summary>Back to its first state, for the pool; the token count goes on.</summary>
    public void Reset()
    {
        _core.Reset();
        _handler = null;
        _broker = null;
        _cancellation = default;
        _registration = default;
    }

    void IAppendWatcher.Appended(long token) => Wake(token);

    bool IAppendWatcher.IsWatching(long token) => Volatile.Read(ref _waiting) == token;

    bool ITimerTarget.IsPending(long token) => Volatile.Read(ref _waiting) == token;

    void ITimerTarget.Expire(long token)
    {
        if (Interlocked.CompareExchange(ref _waiting, 0, token) == token)
        {
            // The wheel may fire up to a tick before the deadline by the clock: its firing is the deadline.
            _expired = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>The woken wait, on the thread pool: reads again, then answers or waits again.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        Exception? failure = null;
        lock (_lock)
        {
            var expired = _expired; // written before this item was queued
            _expired = false;
            try
            {
                EndWaitLocked(expired);
                if (_cancellation.IsCancellationRequested)
                {
                    failure = new OperationCanceledException(_cancellation);
                }
                else if (!_handler!.ReadAndDecide(exchange, deadlineReached: expired))
                {
                    WaitLocked();
                    return;
                }
            }
            catch (Exception e)
            {
                failure = e; // answered with it: an exception must not leave a thread-pool item
            }
        }
        _registration.Dispose(); // its callback only queues this work item: it never waits for this thread
        _registration = default;
        _broker!.FetchWaitEnded(); // before the result: its continuation may send the response and pool this object
        if (failure is null)
        {
            _core.SetResult(Response.Of(exchange));
        }
        else
        {
            _core.SetException(failure);
        }
    }

    /// <summary>Sets up the next wait under a new token; if that fails, nothing of it is left to call this object.</summary>
    private void WaitLocked()
    {
        var token = ++_lastToken;
        Volatile.Write(ref _waiting, token);
        try
        {
            for (var i = 0; i < exchange.PartitionCount; i++)
            {
                ref var slot = ref exchange.Partition(i);
                if (slot.WaitOn is not { } partition)
                {
                    continue;
                }
                if (!partition.Watch(this, token, slot.ObservedHighWatermark))
                {
                    Wake(token); // it moved since the read: read again at once
                    return;
                }
                slot.Watched = partition;
            }
            _broker!.Purgatory.Schedule(exchange.DeadlineMs, this, token);
            _onWheel = true;
        }
        catch
        {
            if (Interlocked.Exchange(ref _waiting, 0) != token)
            {
                return; // already woken: the queued work item goes on from here, and answers
            }
            EndWaitLocked(expired: false);
            throw;
        }
        if (_cancellation.IsCancellationRequested)
        {
            Wake(token); // cancelled while no wait was there for the registration's callback to wake
        }
    }

    /// <summary>Takes the ended wait's watches off its partitions, and tells the wheel when its entry stays behind.</summary>
    private void EndWaitLocked(bool expired)
    {
        var ended = _lastToken;
        for (var i = 0; i < exchange.PartitionCount; i++)
        {
            ref var slot = ref exchange.Partition(i);
            slot.Watched?.Unwatch(this, ended);
            slot.Watched = null;
        }
        if (_onWheel && !expired)
        {
            _broker!.Purgatory.Abandoned(); // its entry stays in its bucket until reached or purged
        }
        _onWheel = false;
    }

    /// <summary>Ends wait <paramref name="token"/> if it is the one in progress; only the first caller wins.</summary>
    private void Wake(long token)
    {
        if (Interlocked.CompareExchange(ref _waiting, 0, token) == token)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private void Interrupt()
    {
        var token = Volatile.Read(ref _waiting);
        if (token != 0)
        {
            Wake(token);
        }
    }

    Response IValueTaskSource<Response>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        catch
        {
            exchange.Release(); // no response will be encoded
            throw;
        }
    }

    ValueTaskSourceStatus IValueTaskSource<Response>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<Response>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
