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

    public LogManager Logs { get; } = logs;

    /// <summary>
    /// Every hosted partition. Enumerated live, not copied (Values copies them into a new array on every call,
    /// which the log flusher's tick a hundred times a second made the broker's largest steady allocation): a
    /// partition added or removed meanwhile may or may not be seen.
    /// </summary>
    public IEnumerable<Partition> All
    {
        get
        {
            foreach (var (_, partition) in _partitions)
            {
                yield return partition;
            }
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
}
