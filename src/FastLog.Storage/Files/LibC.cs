using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Storage.Files;

/// <summary>The few POSIX calls .NET does not expose: fdatasync is cheaper than fsync because it skips metadata that reads do not need.</summary>
public static partial class LibC
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int syncfs(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    private const int ORdOnly = 0;
    private const int ODirectory = 0x10000;

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

    /// <summary>
    /// syncfs of the file system holding <paramref name="path"/>: one call makes every dirty page of every file
    /// there durable, instead of one fdatasync per file. Returns false where the call does not exist.
    /// </summary>
    public static bool TrySyncFileSystem(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var fd = open(path, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync its file system: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (syncfs(fd) != 0)
            {
                throw new IOException($"syncfs of {path} failed: errno {Marshal.GetLastPInvokeError()}");
            }
            return true;
        }
        finally
        {
            close(fd);
        }
    }

    /// <summary>fsync of a directory makes a rename or a new file name in it durable.</summary>
    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = open(path, ORdOnly | ODirectory);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {path} to sync it: errno {Marshal.GetLastPInvokeError()}");
        }
        try
        {
            if (fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {path} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            close(fd);
        }
    }
}
