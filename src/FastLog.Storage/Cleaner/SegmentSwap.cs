using FastLog.Protocol.Records;
using FastLog.Storage.Files;
using FastLog.Storage.Segments;

namespace FastLog.Storage.Cleaner;

/// <summary>
/// How a cleaned segment replaces the segments it was made from, so that a kill -9 at any point leaves a log
/// that the next open completes or rolls back (Kafka's scheme):
/// 1. the cleaner writes "&lt;base&gt;.log.cleaned" (and its indexes), trims and fsyncs them;
/// 2. it renames them to ".swap" (the log file last) and fsyncs the folder: from here the new segment is
///    complete and recovery finishes the swap;
/// 3. under the log's write lock, the old segments go to ".deleted" (removed after file.delete.delay.ms, so
///    readers are not cut off) and
/// 4. the ".swap" files lose their suffix; the folder is fsynced again once the lock is released.
/// At open: ".cleaned" files are deleted (rolled back: the old segments are still whole); a ".log.swap" deletes
/// every live segment whose base offset lies in its offset range and takes their place, its indexes rebuilt.
/// A cleaned segment always ends with its group's last offset (the cleaner keeps that batch, emptied if need
/// be), so its range names exactly the segments it replaced.
/// </summary>
public static class SegmentSwap
{
    public const string CleanedSuffix = ".cleaned";
    public const string SwapSuffix = ".swap";

    /// <summary>
    /// Finishes or rolls back the swaps a crash interrupted in a partition folder. Returns the base offsets of
    /// the segments it swapped in, whose indexes must be rebuilt from the log.
    /// </summary>
    public static HashSet<long> CompleteInterrupted(string directory, Action<string>? log)
    {
        var swapped = new HashSet<long>();
        foreach (var cleaned in Directory.EnumerateFiles(directory, "*" + CleanedSuffix).ToList())
        {
            File.Delete(cleaned);
            log?.Invoke($"{cleaned}: deleted, a cleaning was interrupted before its swap");
        }
        var swapLogs = Directory.EnumerateFiles(directory, "*" + SegmentFileNames.LogSuffix + SwapSuffix)
            .Select(f => (Path: f, Base: SegmentFileNames.ParseBaseOffset(Path.GetFileName(f)[..^SwapSuffix.Length], SegmentFileNames.LogSuffix)))
            .Where(f => f.Base is not null)
            .OrderBy(f => f.Base)
            .ToList();
        foreach (var (swapPath, baseOffset) in swapLogs)
        {
            var start = baseOffset!.Value;
            var end = NextOffset(swapPath, start);
            foreach (var live in Directory.EnumerateFiles(directory, "*" + SegmentFileNames.LogSuffix).ToList())
            {
                if (SegmentFileNames.ParseBaseOffset(Path.GetFileName(live), SegmentFileNames.LogSuffix) is { } liveBase && liveBase >= start && liveBase < end)
                {
                    DeleteSegmentFiles(directory, liveBase);
                }
            }
            // The indexes are rebuilt from the log rather than trusted: which of them were renamed is not known.
            DeleteSegmentFiles(directory, start);
            File.Delete(SegmentFileNames.Index(directory, start) + SwapSuffix);
            File.Delete(SegmentFileNames.TimeIndex(directory, start) + SwapSuffix);
            File.Move(swapPath, SegmentFileNames.Log(directory, start));
            using (File.Create(SegmentFileNames.Index(directory, start)))
            {
            }
            using (File.Create(SegmentFileNames.TimeIndex(directory, start)))
            {
            }
            swapped.Add(start);
            log?.Invoke($"{swapPath}: swap completed, it replaces the segments in [{start}, {end})");
        }
        foreach (var leftover in Directory.EnumerateFiles(directory, "*" + SwapSuffix).ToList())
        {
            File.Delete(leftover); // indexes whose log was already renamed: rebuilt with it
        }
        if (swapLogs.Count > 0)
        {
            LibC.SyncDirectory(directory);
        }
        return swapped;
    }

    /// <summary>
    /// The offset after the last batch of a swap file, from a walk over the batch headers: the file was fsynced
    /// before its rename, and the recovery of the swapped-in segment checks every batch's CRC afterwards.
    /// </summary>
    private static long NextOffset(string path, long baseOffset)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var length = RandomAccess.GetLength(handle);
        Span<byte> header = stackalloc byte[RecordBatchLayout.HeaderSize];
        var next = baseOffset;
        for (long position = 0; position + RecordBatchLayout.HeaderSize <= length;)
        {
            if (RandomAccess.Read(handle, header, position) < header.Length)
            {
                break;
            }
            var batch = RecordBatchHeader.Read(header);
            if (batch.BatchLength < RecordBatchLayout.HeaderSize - RecordBatchLayout.LogOverhead || position + batch.TotalSize > length || batch.BaseOffset < next)
            {
                break;
            }
            next = batch.NextOffset;
            position += batch.TotalSize;
        }
        return next;
    }

    private static void DeleteSegmentFiles(string directory, long baseOffset)
    {
        File.Delete(SegmentFileNames.Log(directory, baseOffset));
        File.Delete(SegmentFileNames.Index(directory, baseOffset));
        File.Delete(SegmentFileNames.TimeIndex(directory, baseOffset));
    }
}
