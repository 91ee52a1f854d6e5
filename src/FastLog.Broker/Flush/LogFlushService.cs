using FastLog.Storage;

namespace FastLog.Broker.Flush;

/// <summary>
/// Flushes the partitions whose flush.policy is interval, each at most flush.ms after its oldest unflushed
/// append (Kafka's log flusher). Per-batch partitions are flushed by their device's writer, and partitions
/// with policy none are left to the operating system, except at roll and shutdown.
/// </summary>
public sealed class LogFlushService : IAsyncDisposable
{
    /// <summary>How often due partitions are looked for: the bound on how late an interval flush can be.</summary>
    public const int TickMs = 10;

    private readonly BrokerServices _broker;
    private readonly Action<string> _log;
    private readonly Dictionary<TopicPartition, long> _firstUnflushedMs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LogFlushService(BrokerServices broker, Action<string> log)
    {
        _broker = broker;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(TickMs));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                FlushDue(Environment.TickCount64);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>One pass: notes when each interval partition gained unflushed data and flushes those due.</summary>
    private void FlushDue(long nowMs)
    {
        foreach (var partition in _broker.Replicas.All)
        {
            var log = partition.Log;
            var config = log.Config;
            if (config.FlushPolicy != LogFlushPolicy.Interval || log.RecoveryPoint >= log.LogEndOffset)
            {
                _firstUnflushedMs.Remove(partition.Id);
                continue;
            }
            if (!_firstUnflushedMs.TryGetValue(partition.Id, out var since))
            {
                _firstUnflushedMs[partition.Id] = nowMs;
                since = nowMs;
            }
            if (nowMs - since < config.FlushIntervalMs)
            {
                continue;
            }
            try
            {
                log.Flush();
                _firstUnflushedMs.Remove(partition.Id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _log($"{partition.Id}: interval flush failed: {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
