using System.Collections.Concurrent;
using FastLog.Storage;
using FastLog.Storage.Cleaner;

namespace FastLog.Broker.Cleaner;

/// <summary>
/// What the log cleaner has done, readable at any time from any thread (Kafka's LogCleaner metrics): bytes read
/// and written in total, the dirty ratio of every compacted log as last measured, and the last cleaning of each
/// log and of the broker.
/// </summary>
public sealed class CleanerMetrics
{
    private readonly ConcurrentDictionary<TopicPartition, double> _dirtyRatios = new();
    private readonly ConcurrentDictionary<TopicPartition, CleanResult> _lastCleans = new();
    private long _bytesRead;
    private long _bytesWritten;
    private long _cleans;
    private long _lastCleanTimeMs = -1;
    private long _lastCleanDurationMs = -1;

    public long BytesRead => Interlocked.Read(ref _bytesRead);
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);
    public long Cleans => Interlocked.Read(ref _cleans);

    /// <summary>Wall-clock time (Unix ms) the last cleaning ended; -1 before the first.</summary>
    public long LastCleanTimeMs => Interlocked.Read(ref _lastCleanTimeMs);

    public long LastCleanDurationMs => Interlocked.Read(ref _lastCleanDurationMs);

    /// <summary>Dirty bytes / (clean + dirty bytes) per compacted log, as the last look found it.</summary>
    public IReadOnlyDictionary<TopicPartition, double> DirtyRatios => _dirtyRatios;

    /// <summary>The last cleaning of each log.</summary>
    public IReadOnlyDictionary<TopicPartition, CleanResult> LastCleans => _lastCleans;

    /// <summary>The largest dirty ratio of any log (Kafka's max-dirty-percent, as a fraction).</summary>
    public double MaxDirtyRatio => _dirtyRatios.IsEmpty ? 0 : _dirtyRatios.Values.Max();

    internal void RecordRatio(TopicPartition partition, double ratio) => _dirtyRatios[partition] = ratio;

    internal void Forget(TopicPartition partition)
    {
        _dirtyRatios.TryRemove(partition, out _);
        _lastCleans.TryRemove(partition, out _);
    }

    internal void RecordClean(CleanResult result, long endedAtMs, long durationMs)
    {
        Interlocked.Add(ref _bytesRead, result.BytesRead);
        Interlocked.Add(ref _bytesWritten, result.BytesWritten);
        Interlocked.Increment(ref _cleans);
        Interlocked.Exchange(ref _lastCleanTimeMs, endedAtMs);
        Interlocked.Exchange(ref _lastCleanDurationMs, durationMs);
        _lastCleans[result.Partition] = result;
        _dirtyRatios[result.Partition] = 0;
    }
}
