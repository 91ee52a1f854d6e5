using FastLog.Broker.Configuration;

namespace FastLog.Broker.Retention;

/// <summary>
/// Applies retention to every hosted partition every log.retention.check.interval.ms: rolls idle active
/// segments past segment.ms and deletes whole segments past retention.ms or beyond retention.bytes by moving
/// the log start offset (which is checkpointed; consumers below it get OFFSET_OUT_OF_RANGE). Topics whose
/// cleanup.policy lacks "delete" are left to compaction.
/// </summary>
public sealed class RetentionService : IAsyncDisposable
{
    private readonly BrokerServices _broker;
    private readonly Action<string> _log;
    private readonly Timer _timer;
    private int _running;

    public RetentionService(BrokerServices broker, Action<string> log)
    {
        _broker = broker;
        _log = log;
        var interval = TimeSpan.FromMilliseconds(broker.Config.LogRetentionCheckIntervalMs);
        _timer = new Timer(_ => RunOnce(), null, interval, interval);
    }

    /// <summary>One pass over every partition; returns the number of segments deleted.</summary>
    public int RunOnce()
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            return 0; // the previous pass is still going
        }
        try
        {
            var deleted = 0;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            foreach (var topic in _broker.Metadata.Topics)
            {
                var config = _broker.TopicConfig(topic);
                for (var p = 0; p < topic.PartitionCount; p++)
                {
                    if (_broker.Replicas.Get(topic.Name, p) is not { } partition)
                    {
                        continue;
                    }
                    var log = partition.Log;
                    if (RetentionPolicy.ShouldRollIdle(log, config.MaxSegmentMs, now))
                    {
                        log.Roll();
                    }
                    if (!config.CleanupPolicy.HasFlag(CleanupPolicy.Delete))
                    {
                        continue;
                    }
                    var decision = RetentionPolicy.Decide(log, config.RetentionMs, config.RetentionBytes, now);
                    if (decision.RollActive)
                    {
                        log.Roll();
                    }
                    if (decision.NewLogStartOffset > log.LogStartOffset)
                    {
                        var count = log.IncreaseLogStartOffset(Math.Min(decision.NewLogStartOffset, partition.HighWatermark));
                        deleted += count;
                        _log($"{partition.Id}: log start offset now {log.LogStartOffset}, {count} segment(s) deleted: {decision.Reason}");
                    }
                }
            }
            return deleted;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _log($"retention pass failed: {e.Message}");
            return 0;
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    public async ValueTask DisposeAsync() => await _timer.DisposeAsync().ConfigureAwait(false);
}
