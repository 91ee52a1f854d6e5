using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// The run's main-thread loop: wakes once per second of elapsed time to report progress, marks the end of the
/// warmup at the moment it passes, and returns when the window ends, when the workload says it is done, or on Ctrl+C.
/// </summary>
internal static class PhaseDriver
{
    private static readonly long OneSecond = Clock.Ticks(1);
    private const int MaxSleepMs = 50; // how soon an early finish or Ctrl+C is noticed

    /// <param name="onTick">Called each second with the current instant.</param>
    /// <param name="onWarmupEnd">Called once, with the instant the warmup was seen to end (right away for --warmup 0).</param>
    /// <param name="finished">Polled between ticks; true ends the run early.</param>
    /// <returns>The instant the run ended, and whether the warmup ended before it.</returns>
    public static (long End, bool WarmupEnded) Run(RunWindow window, Action<long> onTick, Action<long> onWarmupEnd, Func<bool> finished, CancellationToken stop)
    {
        var warmupEnded = false;
        var nextTick = window.Start + OneSecond;
        while (true)
        {
            var now = Clock.Now;
            if (!warmupEnded && now >= window.WarmupEnd)
            {
                onWarmupEnd(now);
                warmupEnded = true;
            }
            if (now >= window.End || stop.IsCancellationRequested || finished())
            {
                return (now, warmupEnded);
            }
            if (now >= nextTick)
            {
                onTick(now);
                nextTick += OneSecond * (1 + ((now - nextTick) / OneSecond)); // a late wake skips ticks, never bunches them
            }
            var wake = Math.Min(nextTick, Math.Min(window.End, warmupEnded ? long.MaxValue : window.WarmupEnd));
            var sleepMs = (int)Math.Clamp(Clock.Seconds(wake - Clock.Now) * 1000, 0, MaxSleepMs);
            stop.WaitHandle.WaitOne(sleepMs);
        }
    }
}
