using Microsoft.Win32.SafeHandles;

namespace FastLog.Benchmarks.Support;

/// <summary>
/// The baselines' target: a file whose blocks are already written with zeros and synced, so that the measured
/// writes and flushes overwrite allocated blocks, the cheapest case a filesystem offers.
/// </summary>
internal static class PreZeroedFile
{
    private static readonly byte[] Zeros = new byte[1024 * 1024];

    public static SafeFileHandle Create(string path, long length)
    {
        var handle = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        for (long position = 0; position < length; position += Zeros.Length)
        {
            RandomAccess.Write(handle, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, length - position)), position);
        }
        FileSync.DataSync(handle);
        return handle;
    }
}
