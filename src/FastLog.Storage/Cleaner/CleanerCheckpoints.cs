using FastLog.Storage.Checkpoints;

namespace FastLog.Storage.Cleaner;

/// <summary>
/// Kafka's cleaner-offset-checkpoint: per data dir, the first dirty offset of every compacted log, replaced
/// atomically after each cleaning. Lost or stale, it only makes the next cleaning treat more of the log as
/// dirty (offsets are clamped to the log), never remove a record that should stay.
/// </summary>
public sealed class CleanerCheckpoints(Action<string>? log = null)
{
    public const string FileName = "cleaner-offset-checkpoint";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<TopicPartition, long>> _byDataDir = new(StringComparer.Ordinal);

    /// <summary>The checkpointed first dirty offset of the log, or -1 (all dirty) when it has none.</summary>
    public long FirstDirtyOffset(PartitionLog log)
    {
        lock (_lock)
        {
            return Load(DataDirOf(log)).GetValueOrDefault(log.Partition, -1);
        }
    }

    public void Update(PartitionLog log, long firstDirtyOffset)
    {
        var dataDir = DataDirOf(log);
        lock (_lock)
        {
            var offsets = Load(dataDir);
            offsets[log.Partition] = firstDirtyOffset;
            new OffsetCheckpointFile(Path.Combine(dataDir, FileName)).Write(offsets);
        }
    }

    /// <summary>
    /// Forgets every partition not in <paramref name="compacted"/> (deleted, or no longer compacted), so that a
    /// topic created again under its name, or compacted again later, starts all dirty. Returns those forgotten.
    /// </summary>
    public List<TopicPartition> RetainOnly(IReadOnlySet<TopicPartition> compacted)
    {
        var forgotten = new List<TopicPartition>();
        lock (_lock)
        {
            foreach (var (dataDir, offsets) in _byDataDir)
            {
                var stale = offsets.Keys.Where(p => !compacted.Contains(p)).ToList();
                if (stale.Count == 0)
                {
                    continue;
                }
                foreach (var partition in stale)
                {
                    offsets.Remove(partition);
                }
                new OffsetCheckpointFile(Path.Combine(dataDir, FileName)).Write(offsets);
                forgotten.AddRange(stale);
            }
        }
        return forgotten;
    }

    private Dictionary<TopicPartition, long> Load(string dataDir)
    {
        if (!_byDataDir.TryGetValue(dataDir, out var offsets))
        {
            var file = new OffsetCheckpointFile(Path.Combine(dataDir, FileName));
            try
            {
                offsets = file.Read();
            }
            catch (InvalidDataException e)
            {
                // Safe to drop: every log then counts as all dirty, and the next cleaning writes the file anew.
                log?.Invoke($"{e.Message}; the cleaner starts every log of {dataDir} as dirty");
                offsets = [];
            }
            _byDataDir[dataDir] = offsets;
        }
        return offsets;
    }

    private static string DataDirOf(PartitionLog log) => Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(log.Directory))!;
}
