using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Benchmarks.Support;

/// <summary>
/// fdatasync for the baselines. The storage library keeps its own wrapper internal, and the baselines must not
/// depend on the code they are compared with anyway.
/// </summary>
internal static partial class FileSync
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    public static void DataSync(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(handle);
            return;
        }
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            if (fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"fdatasync failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
