using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FastLog.LoadGen.Measurement;

/// <summary>
/// The device's own fdatasync latency, measured in the same run as the produce latency it bounds: 4 KiB
/// overwrites of written blocks (what the broker's prepared segments flush), each followed by fdatasync.
/// </summary>
internal static partial class FsyncProbe
{
    private const int Samples = 300;
    private const int BlockBytes = 4096;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(int fd);

    public static List<double> MeasureMicros(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $".loadgen-fsync-{Environment.ProcessId}");
        var block = new byte[BlockBytes];
        try
        {
            using var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
            for (var i = 0; i < Samples; i++)
            {
                RandomAccess.Write(file, block, (long)i * BlockBytes);
            }
            Sync(file);
            var micros = new List<double>(Samples);
            for (var i = 0; i < Samples; i++)
            {
                RandomAccess.Write(file, block, (long)i * BlockBytes);
                var start = Stopwatch.GetTimestamp();
                Sync(file);
                micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            }
            return micros;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Sync(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (fdatasync((int)file.DangerousGetHandle()) != 0)
        {
            throw new IOException($"fdatasync failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
