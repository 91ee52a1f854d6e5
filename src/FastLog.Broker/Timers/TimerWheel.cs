namespace FastLog.Broker.Timers;

/// <summary>A delayed action on the wheel; cancelling it is a flag, removal happens when its bucket is reached.</summary>
public sealed class TimerTask(long deadlineMs, Action action) : ITimerTarget
{
    private int _state; // 0 pending, 1 done or cancelled

    public long DeadlineMs { get; } = deadlineMs;

    public bool IsPending => Volatile.Read(ref _state) == 0;

    public void Cancel() => Interlocked.Exchange(ref _state, 1);

    bool ITimerTarget.IsPending(long token) => IsPending;

    void ITimerTarget.Expire(long token)
    {
        if (Interlocked.Exchange(ref _state, 1) == 0)
        {
            action();
        }
    }
}

/// <summary>
/// A hierarchical timing wheel (the structure of Kafka's purgatory): each level has <c>wheelSize</c> buckets;
/// a level's bucket spans the whole wheel below it. Scheduling and cancelling are O(1); one thread advances the
/// clock a tick at a time and runs what is due, moving tasks from coarse buckets down as their time nears.
/// Thousands of pending deadlines (sessions, rebalances, long polls) cost no threads and no OS timers.
/// </summary>
public sealed class TimerWheel : IDisposable
{
    /// <summary>Abandoned entries that make a purge worth its walk over every bucket (when more than the live ones).</summary>
    private const int MinPurgeThreshold = 1024;

    private readonly long _tickMs;
    private readonly int _wheelSize;
    private readonly List<List<Entry>?[]> _levels = [];
    private readonly List<Entry> _due = []; // the clock thread's own: reused every tick
    private readonly Lock _lock = new();
    private readonly Thread _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<Exception> _onError;
    // Drained buckets' lists, kept with their capacity: deadlines move through new buckets as the clock goes, and a
    // list that grew to a bucket's load serves the next one without growing again. At most one level's worth.
    private readonly Stack<List<Entry>> _spareBuckets = new();
    private int _abandoned; // entries whose waits ended early, still in their buckets
    private int _purgeAt = MinPurgeThreshold;
    private long _currentTick;

    public TimerWheel(long tickMs = 10, int wheelSize = 512, Action<Exception>? onError = null)
    {
        _tickMs = tickMs;
        _wheelSize = wheelSize;
        _onError = onError ?? (_ => { });
        _currentTick = NowMs / tickMs;
        _clock = new Thread(Run) { IsBackground = true, Name = "fastlog-timer-wheel" };
        _clock.Start();
    }

    public static long NowMs => Environment.TickCount64;

    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _levels.Sum(level => level.Sum(bucket => bucket?.Count(entry => entry.Target.IsPending(entry.Token)) ?? 0));
            }
        }
    }

    /// <summary>Entries in the buckets, pending or not (abandoned ones stay until their bucket or a purge).</summary>
    internal int Entries
    {
        get
        {
            lock (_lock)
            {
                return _levels.Sum(level => level.Sum(bucket => bucket?.Count ?? 0));
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="deadlineMs"/> (on the wheel's thread: keep it short).</summary>
    public TimerTask Schedule(long deadlineMs, Action action)
    {
        var task = new TimerTask(deadlineMs, action);
        Schedule(deadlineMs, task, token: 0);
        return task;
    }

    /// <summary>
    /// Calls <paramref name="target"/>'s <see cref="ITimerTarget.Expire"/> with <paramref name="token"/> at
    /// <paramref name="deadlineMs"/>, unless it no longer calls that token pending by then. Allocates nothing once
    /// the wheel's buckets have grown.
    /// </summary>
    public void Schedule(long deadlineMs, ITimerTarget target, long token)
    {
        lock (_lock)
        {
            Place(new Entry(deadlineMs, target, token));
        }
    }

    /// <summary>
    /// Says that an entry scheduled with <see cref="Schedule(long, ITimerTarget, long)"/> will not be pending at its
    /// deadline (the wait ended early: a long poll answered by an append). Such entries would otherwise stay in
    /// their buckets until their deadlines, so many short waits with long deadlines would grow the buckets without
    /// bound; once they outnumber the live entries they are dropped from every bucket in one walk.
    /// </summary>
    public void Abandoned()
    {
        if (Interlocked.Increment(ref _abandoned) < Volatile.Read(ref _purgeAt))
        {
            return;
        }
        lock (_lock)
        {
            if (_abandoned < _purgeAt)
            {
                return; // another caller purged meanwhile
            }
            var live = 0;
            foreach (var level in _levels)
            {
                foreach (var bucket in level)
                {
                    if (bucket is not null)
                    {
                        bucket.RemoveAll(static entry => !entry.Target.IsPending(entry.Token));
                        live += bucket.Count;
                    }
                }
            }
            _abandoned = 0;
            _purgeAt = Math.Max(MinPurgeThreshold, live);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _clock.Join();
        _stop.Dispose();
    }

    /// <summary>Puts the entry in the finest level whose span reaches its deadline (due ones in the next tick's bucket).</summary>
    private void Place(Entry entry)
    {
        var ticks = Math.Max(entry.DeadlineMs / _tickMs, _currentTick + 1);
        var span = 1L;
        for (var level = 0; ; level++)
        {
            if (level == _levels.Count)
            {
                _levels.Add(new List<Entry>?[_wheelSize]);
            }
            // Strictly within this level's window, so the task never shares the bucket being processed now.
            if (ticks / span - _currentTick / span < _wheelSize)
            {
                var bucket = (int)(ticks / span % _wheelSize);
                var entries = _levels[level][bucket];
                if (entries is null)
                {
                    entries = _spareBuckets.TryPop(out var spare) ? spare : [];
                    _levels[level][bucket] = entries;
                }
                entries.Add(entry);
                return;
            }
            span *= _wheelSize;
        }
    }

    private void Run()
    {
        while (!_stop.IsCancellationRequested)
        {
            var targetTick = NowMs / _tickMs;
            lock (_lock)
            {
                while (_currentTick < targetTick)
                {
                    _currentTick++;
                    Advance(_due);
                }
            }
            foreach (var entry in _due)
            {
                try
                {
                    entry.Target.Expire(entry.Token);
                }
                catch (Exception e)
                {
                    _onError(e);
                }
            }
            _due.Clear();
            _stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(_tickMs));
        }
    }

    /// <summary>One tick: the level-0 bucket is due; a coarser bucket whose span begins now is spread down.</summary>
    private void Advance(List<Entry> due)
    {
        var span = 1L;
        for (var level = 0; level < _levels.Count; level++)
        {
            if (_currentTick % span != 0)
            {
                break;
            }
            var index = (int)(_currentTick / span % _wheelSize);
            var bucket = _levels[level][index];
            if (bucket is { Count: > 0 })
            {
                _levels[level][index] = null;
                foreach (var entry in bucket)
                {
                    if (!entry.Target.IsPending(entry.Token))
                    {
                        continue; // cancelled: dropped here, never run
                    }
                    if (entry.DeadlineMs / _tickMs <= _currentTick)
                    {
                        due.Add(entry);
                    }
                    else
                    {
                        Place(entry);
                    }
                }
                bucket.Clear();
                if (_spareBuckets.Count < _wheelSize)
                {
                    _spareBuckets.Push(bucket);
                }
            }
            span *= _wheelSize;
        }
    }

    private readonly record struct Entry(long DeadlineMs, ITimerTarget Target, long Token);
}
