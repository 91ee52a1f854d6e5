namespace FastLog.Broker.Partitions;

/// <summary>
/// A fetch long poll waiting for a partition's high watermark to move. Reusable watchers (pooled long polls) watch
/// under a new token each wait, so a call for an earlier wait is told apart and ignored.
/// </summary>
public interface IAppendWatcher
{
    /// <summary>The high watermark moved (called on the thread that moved it, a device writer: keep it short).</summary>
    void Appended(long token);

    /// <summary>False once the wait <paramref name="token"/> ended: the partition may drop its watch.</summary>
    bool IsWatching(long token);
}
