using System.Diagnostics;
using System.Runtime.InteropServices;
using FastLog.Storage.Files;
using Microsoft.Win32.SafeHandles;

namespace FastLog.Tools.Probe;

/// <summary>
/// Measures one data dir the way the broker uses it: 4 KiB writes each followed by fdatasync, once appending to
/// a growing file and once overwriting a file whose blocks were written and synced before (what prepared
/// segments give the broker), then overwriting again with every core kept busy by a spinning thread (a broker
/// and its clients at work: on some hosts, virtual machines above all, the flush's tail grows tenfold then, and a
/// per-batch-flush broker's produce p99 follows that tail), then sequential write and read bandwidth in 1 MiB
/// writes with the file dropped from the page cache before the read. Its scratch files are removed afterwards.
/// </summary>
internal sealed partial class DiskProbe(string dataDir, int syncs, long bandwidthBytes, ProgressBar progress)
{
    private const int SyncWriteBytes = 4096;
    private const int BandwidthChunkBytes = 1024 * 1024;
    private const int PosixFadvDontNeed = 4;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_fadvise(int fd, long offset, long length, int advice);

    public DiskMeasurement Run()
    {
        Directory.CreateDirectory(dataDir);
        var scratch = Path.Combine(dataDir, $".fastlog-probe-{Environment.ProcessId}");
        try
        {
            var append = SyncLatencies(scratch, overwrite: false, "fdatasync after append");
            var overwrite = SyncLatencies(scratch, overwrite: true, "fdatasync after overwrite");
            var underLoad = WithEveryCoreBusy(() => SyncLatencies(scratch, overwrite: true, "fdatasync, every core busy"));
            var (write, read) = Bandwidth(scratch);
            return new DiskMeasurement(dataDir, Percentiles.Of(append), Percentiles.Of(overwrite), Percentiles.Of(underLoad), write, read, new DriveInfo(Path.GetFullPath(dataDir)).AvailableFreeSpace);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private List<double> SyncLatencies(string path, bool overwrite, string phase)
    {
        var block = new byte[SyncWriteBytes];
        Random.Shared.NextBytes(block);
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        if (overwrite)
        {
            for (var i = 0; i < syncs; i++)
            {
                RandomAccess.Write(file, block, (long)i * SyncWriteBytes);
            }
            LibC.DataSync(file);
        }
        var samples = new List<double>(syncs);
        for (var i = 0; i < syncs; i++)
        {
            RandomAccess.Write(file, block, (long)i * SyncWriteBytes);
            var start = Stopwatch.GetTimestamp();
            LibC.DataSync(file);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            progress.Report($"{phase} ({dataDir})", (double)(i + 1) / syncs);
        }
        return samples;
    }

    private static T WithEveryCoreBusy<T>(Func<T> measure)
    {
        var stop = 0;
        var spinners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                Thread.SpinWait(100);
            }
        }) { IsBackground = true }).ToList();
        spinners.ForEach(t => t.Start());
        try
        {
            return measure();
        }
        finally
        {
            Volatile.Write(ref stop, 1);
            spinners.ForEach(t => t.Join());
        }
    }

    private (double Write, double Read) Bandwidth(string path)
    {
        var chunk = new byte[BandwidthChunkBytes];
        Random.Shared.NextBytes(chunk);
        var chunks = (int)Math.Max(1, bandwidthBytes / BandwidthChunkBytes);
        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < chunks; i++)
        {
            RandomAccess.Write(file, chunk, (long)i * BandwidthChunkBytes);
            progress.Report($"sequential write ({dataDir})", (double)(i + 1) / chunks);
        }
        LibC.DataSync(file);
        var write = (double)chunks * BandwidthChunkBytes / Stopwatch.GetElapsedTime(start).TotalSeconds;

        DropFromPageCache(file);
        start = Stopwatch.GetTimestamp();
        for (var i = 0; i < chunks; i++)
        {
            RandomAccess.Read(file, chunk, (long)i * BandwidthChunkBytes);
            progress.Report($"sequential read ({dataDir})", (double)(i + 1) / chunks);
        }
        var read = (double)chunks * BandwidthChunkBytes / Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (write, read);
    }

    /// <summary>The read must come from the disk, not from the pages the write just left in memory.</summary>
    private static void DropFromPageCache(SafeFileHandle file)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = posix_fadvise((int)file.DangerousGetHandle(), 0, 0, PosixFadvDontNeed);
        }
    }
}
