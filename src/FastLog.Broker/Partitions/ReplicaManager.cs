using System.Collections.Concurrent;
using FastLog.Broker.Metadata;
using FastLog.Storage;

namespace FastLog.Broker.Partitions;

/// <summary>
/// The partitions this broker hosts, kept in step with the metadata: a topic's partitions get logs when it is
/// created or grows, and lose them when it is deleted.
/// </summary>
public sealed class ReplicaManager(LogManager logs, Pipeline.AppendPipelines? pipelines = null)
{
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private long _version; // moves after every change to the set of partitions
    private Snapshot _snapshot = new(-1, []);

    public LogManager Logs { get; } = logs;

    /// <summary>
    /// Every hosted partition: an array copied only when the set changed since the last call, as the log flusher
    /// reads it a hundred times a second (a new copy or enumerator each time was the broker's largest steady
    /// allocation). A partition added or removed during the call may or may not be in it; the next call has it.
    /// </summary>
    public ReadOnlySpan<Partition> All
    {
        get
        {
            var version = Volatile.Read(ref _version);
            var snapshot = Volatile.Read(ref _snapshot);
            if (snapshot.Version != version)
            {
                // Copied after the version was read: it holds at least every change up to that version.
                snapshot = new Snapshot(version, [.. _partitions.Values]);
                Volatile.Write(ref _snapshot, snapshot);
            }
            return snapshot.Partitions;
        }
    }

    public Partition? Get(TopicPartition id) => _partitions.GetValueOrDefault(id);

    public Partition? Get(string topic, int partition) => Get(new TopicPartition(topic, partition));

    /// <summary>Makes sure every partition of the topic has a log (at start, after create and after growth).</summary>
    public void Host(TopicMetadata topic)
    {
        for (var p = 0; p < topic.PartitionCount; p++)
        {
            var id = new TopicPartition(topic.Name, p);
            _partitions.GetOrAdd(id, key =>
            {
                var log = Logs.GetOrCreate(key);
                return new Partition(key, log) { Pipeline = pipelines?.For(log.Directory) };
            });
        }
        Interlocked.Increment(ref _version);
    }

    /// <summary>Applies a topic's changed configs to its logs (new segments take them).</summary>
    public void Reconfigure(TopicMetadata topic)
    {
        foreach (var partition in _partitions.Values.Where(p => p.Id.Topic == topic.Name))
        {
            partition.Log.UpdateConfig(Logs.ConfigFor(partition.Id));
        }
    }

    /// <summary>Drops the topic's partitions and deletes their logs.</summary>
    public void Remove(string topic)
    {
        foreach (var id in _partitions.Keys.Where(k => k.Topic == topic).ToList())
        {
            if (_partitions.TryRemove(id, out _))
            {
                Interlocked.Increment(ref _version);
                Logs.Delete(id);
            }
        }
    }

    /// <summary>Logs on disk that no topic claims (a crash between metadata and log changes) are deleted.</summary>
    public void RemoveOrphans(IEnumerable<TopicMetadata> topics)
    {
        var known = topics.ToDictionary(t => t.Name, t => t.PartitionCount, StringComparer.Ordinal);
        foreach (var log in Logs.Logs.ToList())
        {
            var id = log.Partition;
            if (!known.TryGetValue(id.Topic, out var count) || id.Partition >= count)
            {
                Logs.Delete(id);
            }
        }
    }

    private sealed record Snapshot(long Version, Partition[] Partitions);
}
