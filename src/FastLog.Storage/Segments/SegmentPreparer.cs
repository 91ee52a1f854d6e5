using System.Collections.Concurrent;

namespace FastLog.Storage.Segments;

/// <summary>
/// Writes and syncs zeros ahead of the appends of <see cref="SegmentPreallocation.Prepared"/> segments, on a
/// background thread per data directory (a data directory is the unit a profile places on a device), so the
/// appends and their flushes overwrite written blocks, the cheapest case a file system offers, without paying
/// for the zeros themselves.
/// </summary>
/// <remarks>
/// Bounded by design: a segment waits in the queue at most once at a time, so the queue never holds more than
/// the active segments. The thread ends after a while with nothing to do and starts again on demand, so a
/// process that opened many short-lived data directories (tests, tools) keeps no idle threads.
/// </remarks>
public sealed class SegmentPreparer
{
    private static readonly ConcurrentDictionary<string, SegmentPreparer> ByDataDirectory = new(StringComparer.Ordinal);
    private static readonly TimeSpan IdleExit = TimeSpan.FromSeconds(10);

    private readonly Queue<LogSegment> _queue = new();
    private readonly string _dataDirectory;
    private bool _running;

    private SegmentPreparer(string dataDirectory) => _dataDirectory = dataDirectory;

    /// <summary>The preparer of the data directory holding <paramref name="partitionDirectory"/>.</summary>
    public static SegmentPreparer For(string partitionDirectory)
    {
        var dataDirectory = Path.GetDirectoryName(Path.GetFullPath(partitionDirectory)) ?? partitionDirectory;
        return ByDataDirectory.GetOrAdd(dataDirectory, static directory => new SegmentPreparer(directory));
    }

    internal void Enqueue(LogSegment segment)
    {
        lock (_queue)
        {
            _queue.Enqueue(segment);
            if (_running)
            {
                Monitor.Pulse(_queue);
                return;
            }
            _running = true;
        }
        new Thread(Run) { IsBackground = true, Name = "fastlog-prepare " + Path.GetFileName(_dataDirectory) }.Start();
    }

    private void Run()
    {
        while (Next() is { } segment)
        {
            segment.PrepareAhead();
        }
    }

    private LogSegment? Next()
    {
        lock (_queue)
        {
            while (_queue.Count == 0)
            {
                if (!Monitor.Wait(_queue, IdleExit) && _queue.Count == 0)
                {
                    _running = false;
                    return null;
                }
            }
            return _queue.Dequeue();
        }
    }
}
