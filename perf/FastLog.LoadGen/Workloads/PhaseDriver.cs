using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Workloads;

/// <summary>
/// The run's main-thread loop: wakes once per second of elapsed time to report progress, and returns when the
/// window ends, when the workload says it is done, or on Ctrl+C, closing the window at that moment in the last two
/// cases. It only reports: what counts in the figures is decided by the timestamps of the events themselves.
/// </summary>
internal static class PhaseDriver
{
    private static readonly long OneSecond = Clock.Ticks(1);
    private const int MaxSleepMs = 50; // how soon an early finish or Ctrl+C is noticed

    /// <param name="onTick">Called each second with the current instant.</param>
    /// <param name="finished">Polled between ticks; true ends the run early.</param>
    public static void Run(RunWindow window, Action<long> onTick, Func<bool> finished, CancellationToken stop)
    {
        var nextTick = window.Start + OneSecond;
        while (true)
        {
            var now = Clock.Now;
            if (now >= window.End)
            {
                return;
            }
            if (stop.IsCancellationRequested || finished())
            {
                window.Close(now);
                return;
            }
            if (now >= nextTick)
            {
                onTick(now);
                nextTick += OneSecond * (1 + ((now - nextTick) / OneSecond)); // a late wake skips ticks, never bunches them
            }
            var sleepMs = (int)Math.Clamp(Clock.Seconds(Math.Min(nextTick, window.End) - Clock.Now) * 1000, 0, MaxSleepMs);
            stop.WaitHandle.WaitOne(sleepMs);
        }
    }
}
