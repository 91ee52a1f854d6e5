namespace FastLog.LoadGen.Kafka;

/// <summary>The topic a run uses: its name, partition count, and whether this run created it.</summary>
internal sealed record TopicInfo(string Name, int Partitions, bool Created);
