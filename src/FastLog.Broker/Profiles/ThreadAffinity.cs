using System.Runtime.InteropServices;

namespace FastLog.Broker.Profiles;

/// <summary>
/// Core pinning from a profile (Linux, sched_setaffinity): a device's writer on its core, the whole process on
/// a set of cores. Elsewhere pinning is skipped with a false return, never an error.
/// </summary>
public static partial class ThreadAffinity
{
    /// <summary>Bits in the cpu_set_t passed to the kernel: enough for 1,024 cores.</summary>
    private const int MaskWords = 16;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sched_setaffinity(int pid, nint cpuSetSize, ulong[] mask);

    /// <summary>Pins the calling thread to one core.</summary>
    public static bool PinCurrentThread(int core) => Set(0, [core]); // pid 0: the calling thread

    /// <summary>
    /// Confines every thread of the process to <paramref name="cores"/>. The affinity of a Linux thread is its
    /// own, so each existing thread is set; threads started later inherit it from the thread that starts them.
    /// </summary>
    public static bool ConfineProcess(IReadOnlyList<int> cores)
    {
        if (!OperatingSystem.IsLinux() || cores.Count == 0)
        {
            return false;
        }
        var all = true;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            if (int.TryParse(Path.GetFileName(task), out var threadId))
            {
                all &= Set(threadId, cores);
            }
        }
        return all;
    }

    private static bool Set(int threadId, IEnumerable<int> cores)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var mask = new ulong[MaskWords];
        foreach (var core in cores)
        {
            mask[core / 64] |= 1UL << (core % 64);
        }
        return sched_setaffinity(threadId, MaskWords * sizeof(ulong), mask) == 0;
    }
}
