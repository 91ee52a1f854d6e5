using System.Diagnostics;
using FastLog.Broker.Configuration;
using FastLog.Storage;
using FastLog.Storage.Cleaner;

namespace FastLog.Broker.Cleaner;

/// <summary>
/// Compaction for every hosted partition whose cleanup.policy has "compact" (Kafka's LogCleaner): the sibling of
/// retention. log.cleaner.threads threads each take the dirtiest log not being cleaned — one whose dirty ratio
/// exceeds min.cleanable.dirty.ratio, or whose oldest dirty record is older than max.compaction.lag.ms — clean
/// it and checkpoint its new first dirty offset; with nothing to clean they sleep log.cleaner.backoff.ms. The
/// threads share log.cleaner.dedupe.buffer.size for their key maps (allocated on their first cleaning) and the
/// log.cleaner.io.max.bytes.per.second limit.
/// </summary>
public sealed class LogCleanerService : IAsyncDisposable
{
    private readonly BrokerServices _broker;
    private readonly Action<string> _log;
    private readonly CleanerCheckpoints _checkpoints;
    private readonly Throttler _throttler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly HashSet<TopicPartition> _inProgress = [];
    private readonly Dictionary<TopicPartition, long> _restingUntil = []; // Environment.TickCount64: no wall-clock steps
    private readonly Task[] _threads;

    public LogCleanerService(BrokerServices broker, Action<string> log)
    {
        _broker = broker;
        _log = log;
        _checkpoints = new CleanerCheckpoints(log);
        var config = broker.Config;
        _throttler = new Throttler(config.LogCleanerIoMaxBytesPerSecond);
        var threads = config.LogCleanerEnable ? config.LogCleanerThreads : 0;
        var mapBytes = threads == 0 ? 0 : config.LogCleanerDedupeBufferSize / threads;
        _threads = [.. Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(() => Run(mapBytes), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
    }

    public CleanerMetrics Metrics { get; } = new();

    private void Run(long mapBytes)
    {
        LogCleaner? cleaner = null;
        var backoff = TimeSpan.FromMilliseconds(_broker.Config.LogCleanerBackoffMs);
        while (!_stop.IsCancellationRequested)
        {
            PartitionLog? taken = null;
            try
            {
                if (Grab() is not { } work)
                {
                    _stop.Token.WaitHandle.WaitOne(backoff);
                    continue;
                }
                taken = work.Log;
                cleaner ??= new LogCleaner(new OffsetMap(mapBytes), _throttler);
                Clean(cleaner, work.Log, work.Config);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (IsCleaningFailure(e))
            {
                // The log stays as it was (a cleaning swaps segments in only once they are whole). Kafka marks such a
                // log uncleanable; here it rests a while so that it does not keep the other logs waiting.
                _log($"{taken?.Partition.ToString() ?? "log cleaner"}: cleaning failed, retried in {FailureRest(backoff).TotalSeconds:F0} s: {e.Message}");
                if (taken is not null)
                {
                    Rest(taken.Partition, FailureRest(backoff));
                }
                _stop.Token.WaitHandle.WaitOne(backoff);
            }
            finally
            {
                if (taken is not null)
                {
                    lock (_lock)
                    {
                        _inProgress.Remove(taken.Partition);
                    }
                }
            }
        }
    }

    /// <summary>
    /// A failure while measuring or cleaning one log: its disk, a corrupt batch, or a corrupt index that makes a
    /// read throw something else. Whatever it is, that log rests and the others go on: a cleaner thread that ended
    /// on it would stop compaction for every log, silently.
    /// </summary>
    private static bool IsCleaningFailure(Exception e) => e is not OperationCanceledException;

    private static TimeSpan FailureRest(TimeSpan backoff) => TimeSpan.FromTicks(Math.Max(10 * backoff.Ticks, TimeSpan.TicksPerSecond));

    private void Clean(LogCleaner cleaner, PartitionLog log, EffectiveTopicConfig config)
    {
        var started = Stopwatch.GetTimestamp();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var result = cleaner.Clean(log, _checkpoints.FirstDirtyOffset(log), new CompactionSettings
        {
            NowMs = now,
            DeleteRetentionMs = config.DeleteRetentionMs,
            MinCompactionLagMs = config.MinCompactionLagMs,
        }, _stop.Token);
        if (!result.Cleaned)
        {
            // Nothing done: an open transaction held the dirty part back (then nothing was read), or the log changed
            // under the cleaning. Either way the log rests a while, or the threads would take it again at once.
            if (result.BytesRead > 0)
            {
                _log($"{log.Partition}: cleaning of [{result.FirstDirtyOffset}, {result.EndOffset}) given up: the log changed under it");
            }
            Rest(log.Partition, FailureRest(TimeSpan.FromMilliseconds(_broker.Config.LogCleanerBackoffMs)));
            return;
        }
        _checkpoints.Update(log, result.EndOffset);
        var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Metrics.RecordClean(result, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), elapsedMs);
        _log($"{log.Partition}: cleaned offsets [{result.FirstDirtyOffset}, {result.EndOffset}) at dirty ratio {result.DirtyRatio:F2}: "
            + $"read {result.BytesRead} bytes, wrote {result.BytesWritten} bytes, removed {result.RecordsRemoved} of {result.RecordsRead} records, "
            + $"segments {result.SegmentsBefore} -> {result.SegmentsAfter}, in {elapsedMs} ms");
    }

    /// <summary>The dirtiest compacted log that needs cleaning and is not being cleaned, marked as taken; null if none.</summary>
    private (PartitionLog Log, EffectiveTopicConfig Config)? Grab()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        (PartitionLog Log, EffectiveTopicConfig Config, double Rank)? best = null;
        var compacted = new HashSet<TopicPartition>();
        foreach (var topic in _broker.Metadata.Topics)
        {
            var config = _broker.TopicConfig(topic);
            if (!config.CleanupPolicy.HasFlag(CleanupPolicy.Compact))
            {
                continue;
            }
            for (var p = 0; p < topic.PartitionCount; p++)
            {
                if (_broker.Replicas.Get(topic.Name, p) is not { } partition)
                {
                    continue;
                }
                var log = partition.Log;
                compacted.Add(log.Partition);
                lock (_lock)
                {
                    if (IsResting(log.Partition))
                    {
                        continue;
                    }
                }
                CleanableSection section;
                try
                {
                    section = CleanableSection.Of(log, _checkpoints.FirstDirtyOffset(log), now, config.MinCompactionLagMs);
                }
                catch (Exception e) when (IsCleaningFailure(e))
                {
                    // Measuring one log failed: it rests like a log whose cleaning failed, and the others are still
                    // chosen from (a throw from here once stopped the cleaner for every log, logging each backoff).
                    var rest = FailureRest(TimeSpan.FromMilliseconds(_broker.Config.LogCleanerBackoffMs));
                    _log($"{log.Partition}: cleaning failed, retried in {rest.TotalSeconds:F0} s: {e.Message}");
                    Rest(log.Partition, rest);
                    continue;
                }
                Metrics.RecordRatio(log.Partition, section.DirtyRatio);
                if (CleanerSelection.Rank(section, config.MinCleanableDirtyRatio, config.MaxCompactionLagMs, now) is not { } rank)
                {
                    continue;
                }
                lock (_lock)
                {
                    if (!_inProgress.Contains(log.Partition) && !IsResting(log.Partition) && (best is null || rank > best.Value.Rank))
                    {
                        best = (log, config, rank);
                    }
                }
            }
        }
        foreach (var forgotten in _checkpoints.RetainOnly(compacted))
        {
            Metrics.Forget(forgotten);
        }
        if (best is not { } chosen)
        {
            return null;
        }
        lock (_lock)
        {
            return _inProgress.Add(chosen.Log.Partition) ? (chosen.Log, chosen.Config) : null;
        }
    }

    private void Rest(TopicPartition partition, TimeSpan rest)
    {
        lock (_lock)
        {
            _restingUntil[partition] = Environment.TickCount64 + (long)rest.TotalMilliseconds;
        }
    }

    /// <summary>Whether the log's last cleaning failed or found nothing to do, recently; called under the lock.</summary>
    private bool IsResting(TopicPartition partition)
    {
        if (!_restingUntil.TryGetValue(partition, out var until))
        {
            return false;
        }
        if (Environment.TickCount64 < until)
        {
            return true;
        }
        _restingUntil.Remove(partition);
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_threads).ConfigureAwait(false);
        _stop.Dispose();
    }
}
