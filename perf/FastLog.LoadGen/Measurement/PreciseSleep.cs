using System.Runtime.InteropServices;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// Sleeps for sub-millisecond stretches without spinning. A paced producer at 5,000 msgs/s waits 200 µs between
/// messages; spinning that out took a whole core, which on a small machine is the broker's core: the run then
/// measured CPU starvation, not the broker. On Linux the thread's timer slack is cut to 1 µs (the default 50 µs
/// would make every wake late) and clock_nanosleep sleeps the stretch; a wake's lateness still counts against the
/// message's latency, since latencies are taken from the schedule. Elsewhere it falls back to yielding.
/// </summary>
internal static partial class PreciseSleep
{
    private const int ClockMonotonic = 1;
    private const int PrSetTimerSlack = 29;
    private const ulong TimerSlackNanoseconds = 1_000;

    [ThreadStatic]
    private static bool t_slackSet;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc")]
    private static partial int clock_nanosleep(int clock, int flags, in TimeSpec request, IntPtr remain);

    [LibraryImport("libc")]
    private static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>Sleeps about <paramref name="ticks"/> Stopwatch ticks (returns early on a signal; callers loop on the clock).</summary>
    public static void For(long ticks)
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.Yield();
            return;
        }
        if (!t_slackSet)
        {
            // Refused (an old kernel): the default slack stays, and wakes are up to 50 µs later.
            _ = prctl(PrSetTimerSlack, TimerSlackNanoseconds, 0, 0, 0);
            t_slackSet = true;
        }
        var nanoseconds = (long)(Clock.Seconds(ticks) * 1_000_000_000);
        var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        // A nonzero result is an interrupted sleep; the caller's loop re-reads the clock and sleeps again.
        _ = clock_nanosleep(ClockMonotonic, 0, request, IntPtr.Zero);
    }
}
