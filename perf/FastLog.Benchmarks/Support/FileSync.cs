using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Benchmarks.Support;

/// <summary>
/// fdatasync for the baselines, written out here on purpose: a baseline must not depend on the code it is
/// compared with (FastLog.Storage's LibC).
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
