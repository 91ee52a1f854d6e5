using System.Globalization;
using System.Runtime.InteropServices;

namespace FastLog.FetchBench;

/// <summary>CPU time spent by a process (all its threads, from /proc) or by the calling thread (getrusage).</summary>
internal static partial class CpuTime
{
    private const int RusageThread = 1;

    /// <summary>utime + stime of a whole process from /proc/&lt;pid&gt;/stat, in seconds (clock ticks of 10 ms).</summary>
    public static double ProcessSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state): utime is field 14, stime field 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / (double)ClockTicksPerSecond;
    }

    /// <summary>User + system time of the calling thread, in seconds (microsecond resolution).</summary>
    public static double ThreadSeconds()
    {
        Span<long> usage = stackalloc long[18]; // struct rusage: two timevals, then 14 longs
        if (getrusage(RusageThread, ref MemoryMarshal.GetReference(usage)) != 0)
        {
            throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        }
        return usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6;
    }

    /// <summary>sysconf(_SC_CLK_TCK) is 100 on every Linux architecture .NET runs on.</summary>
    private const int ClockTicksPerSecond = 100;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrusage(int who, ref long usage);
}
