using System.Text.Json;
using FastLog.Storage.Files;

namespace FastLog.Broker.Metadata;

/// <summary>
/// The single-node metadata store: the whole state in one JSON file in the first data dir, rewritten
/// atomically on every change (temp file, fsync, rename, fsync of the directory). Changes are rare (topic
/// admin), so simplicity wins over an append-only log here.
/// </summary>
public sealed class EmbeddedMetadataStore : IMetadataStore
{
    public const string FileName = "fastlog-metadata.json";

    private readonly string _path;
    private readonly Lock _lock = new();
    private State _state;

    private EmbeddedMetadataStore(string path, State state)
    {
        _path = path;
        _state = state;
    }

    public string ClusterId => _state.ClusterId;

    public IReadOnlyCollection<TopicMetadata> Topics
    {
        get
        {
            lock (_lock)
            {
                return [.. _state.Topics.Values];
            }
        }
    }

    /// <summary>Loads the store from <paramref name="dataDir"/>, or creates it with the given or a new cluster id.</summary>
    public static EmbeddedMetadataStore Open(string dataDir, string? clusterId)
    {
        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            State state;
            try
            {
                state = JsonSerializer.Deserialize(File.ReadAllText(path), MetadataJson.Default.State)
                    ?? throw new InvalidDataException("empty document");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"metadata file {path} is unreadable: {e.Message}", e);
            }
            if (clusterId is not null && clusterId != state.ClusterId)
            {
                throw new InvalidDataException($"cluster.id {clusterId} does not match the id {state.ClusterId} stored in {path}");
            }
            return new EmbeddedMetadataStore(path, state);
        }
        var created = new EmbeddedMetadataStore(path, new State(clusterId ?? NewClusterId(), new Dictionary<string, TopicMetadata>(StringComparer.Ordinal)));
        created.Persist(created._state);
        return created;
    }

    public TopicMetadata? GetTopic(string name)
    {
        lock (_lock)
        {
            return _state.Topics.GetValueOrDefault(name);
        }
    }

    public TopicMetadata CreateTopic(string name, int partitionCount, short replicationFactor, IReadOnlyDictionary<string, string> configs)
    {
        lock (_lock)
        {
            if (_state.Topics.ContainsKey(name))
            {
                throw new TopicExistsException(name);
            }
            var topic = new TopicMetadata(name, Guid.NewGuid(), partitionCount, replicationFactor, new Dictionary<string, string>(configs, StringComparer.Ordinal));
            Commit(_state.Topics.SetItem(name, topic));
            return topic;
        }
    }

    public bool DeleteTopic(string name)
    {
        lock (_lock)
        {
            if (!_state.Topics.ContainsKey(name))
            {
                return false;
            }
            var topics = new Dictionary<string, TopicMetadata>(_state.Topics, StringComparer.Ordinal);
            topics.Remove(name);
            Commit(topics);
            return true;
        }
    }

    public TopicMetadata SetPartitionCount(string name, int partitionCount) =>
        Update(name, t => t with { PartitionCount = partitionCount });

    public TopicMetadata SetConfigs(string name, IReadOnlyDictionary<string, string> configs) =>
        Update(name, t => t with { Configs = new Dictionary<string, string>(configs, StringComparer.Ordinal) });

    private TopicMetadata Update(string name, Func<TopicMetadata, TopicMetadata> change)
    {
        lock (_lock)
        {
            var topic = _state.Topics.GetValueOrDefault(name) ?? throw new KeyNotFoundException($"topic '{name}' does not exist");
            var updated = change(topic);
            Commit(_state.Topics.SetItem(name, updated));
            return updated;
        }
    }

    private void Commit(Dictionary<string, TopicMetadata> topics)
    {
        var next = _state with { Topics = topics };
        Persist(next);
        _state = next;
    }

    private void Persist(State state)
    {
        var temp = _path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            JsonSerializer.Serialize(stream, state, MetadataJson.Default.State);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
        LibC.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(_path))!);
    }

    /// <summary>A Kafka-style cluster id: 16 random bytes in URL-safe base64 without padding.</summary>
    private static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal sealed record State(string ClusterId, Dictionary<string, TopicMetadata> Topics);
}

internal static class TopicDictionaryExtensions
{
    public static Dictionary<string, TopicMetadata> SetItem(this Dictionary<string, TopicMetadata> topics, string name, TopicMetadata topic) =>
        new(topics, StringComparer.Ordinal) { [name] = topic };
}
