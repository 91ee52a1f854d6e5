namespace FastLog.Storage.Cleaner;

/// <summary>
/// Holds the cleaner's I/O to log.cleaner.io.max.bytes.per.second, shared by every cleaner thread: each
/// thread reports what it read or wrote, and sleeps when the bytes since the window opened are ahead of the
/// rate. A window closes after a second so a long idle spell does not bank a burst.
/// </summary>
public sealed class Throttler(double maxBytesPerSecond, TimeProvider? time = null)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    /// <summary>The longest single sleep: the rate is met over several, and a cancelled clean stops soon.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private long _windowStart = -1;
    private double _bytesInWindow;

    public double MaxBytesPerSecond { get; } = maxBytesPerSecond > 0 ? maxBytesPerSecond : throw new ArgumentOutOfRangeException(nameof(maxBytesPerSecond), "the cleaner I/O rate must be positive");

    public bool IsUnlimited => double.IsPositiveInfinity(MaxBytesPerSecond) || MaxBytesPerSecond >= double.MaxValue;

    /// <summary>Counts <paramref name="bytes"/> and sleeps as long as the rate requires (in bounded steps).</summary>
    public void Take(long bytes, CancellationToken cancellation)
    {
        var wait = Account(bytes);
        while (wait > TimeSpan.Zero && !cancellation.IsCancellationRequested)
        {
            var step = wait < MaxSleep ? wait : MaxSleep;
            cancellation.WaitHandle.WaitOne(step);
            wait -= step;
        }
    }

    /// <summary>Counts <paramref name="bytes"/> and returns how long the caller must wait for the rate to hold.</summary>
    public TimeSpan Account(long bytes)
    {
        if (IsUnlimited || bytes <= 0)
        {
            return TimeSpan.Zero;
        }
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            if (_windowStart < 0 || _time.GetElapsedTime(_windowStart, now) > Window)
            {
                _windowStart = now;
                _bytesInWindow = 0;
            }
            _bytesInWindow += bytes;
            var due = TimeSpan.FromSeconds(_bytesInWindow / MaxBytesPerSecond);
            var wait = due - _time.GetElapsedTime(_windowStart, now);
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
    }
}
