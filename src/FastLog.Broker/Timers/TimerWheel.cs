namespace FastLog.Broker.Timers;

/// <summary>A delayed action on the wheel; cancelling it is a flag, removal happens when its bucket is reached.</summary>
public sealed class TimerTask(long deadlineMs, Action action)
{
    private int _state; // 0 pending, 1 done or cancelled

    public long DeadlineMs { get; } = deadlineMs;

    public bool IsPending => Volatile.Read(ref _state) == 0;

    public void Cancel() => Interlocked.Exchange(ref _state, 1);

    internal bool TryRun()
    {
        if (Interlocked.Exchange(ref _state, 1) != 0)
        {
            return false;
        }
        action();
        return true;
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
    private readonly long _tickMs;
    private readonly int _wheelSize;
    private readonly List<List<TimerTask>[]> _levels = [];
    private readonly Lock _lock = new();
    private readonly Thread _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<Exception> _onError;
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
                return _levels.Sum(level => level.Sum(bucket => bucket?.Count ?? 0));
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="deadlineMs"/> (on the wheel's thread: keep it short).</summary>
    public TimerTask Schedule(long deadlineMs, Action action)
    {
        var task = new TimerTask(deadlineMs, action);
        lock (_lock)
        {
            Place(task);
        }
        return task;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _clock.Join();
        _stop.Dispose();
    }

    /// <summary>Puts the task in the finest level whose span reaches its deadline (due ones in the next tick's bucket).</summary>
    private void Place(TimerTask task)
    {
        var ticks = Math.Max(task.DeadlineMs / _tickMs, _currentTick + 1);
        var span = 1L;
        for (var level = 0; ; level++)
        {
            if (level == _levels.Count)
            {
                _levels.Add(new List<TimerTask>[_wheelSize]);
            }
            // Strictly within this level's window, so the task never shares the bucket being processed now.
            if (ticks / span - _currentTick / span < _wheelSize)
            {
                var bucket = (int)(ticks / span % _wheelSize);
                (_levels[level][bucket] ??= []).Add(task);
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
            var due = new List<TimerTask>();
            lock (_lock)
            {
                while (_currentTick < targetTick)
                {
                    _currentTick++;
                    Advance(due);
                }
            }
            foreach (var task in due)
            {
                try
                {
                    task.TryRun();
                }
                catch (Exception e)
                {
                    _onError(e);
                }
            }
            _stop.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(_tickMs));
        }
    }

    /// <summary>One tick: the level-0 bucket is due; a coarser bucket whose span begins now is spread down.</summary>
    private void Advance(List<TimerTask> due)
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
                _levels[level][index] = null!;
                foreach (var task in bucket)
                {
                    if (!task.IsPending)
                    {
                        continue; // cancelled: dropped here, never run
                    }
                    if (task.DeadlineMs / _tickMs <= _currentTick)
                    {
                        due.Add(task);
                    }
                    else
                    {
                        Place(task);
                    }
                }
            }
            span *= _wheelSize;
        }
    }
}
