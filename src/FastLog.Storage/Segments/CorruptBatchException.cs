namespace FastLog.Storage.Segments;

/// <summary>
/// A stored batch failed its checks when read (Kafka's CORRUPT_MESSAGE / KAFKA_STORAGE_ERROR): it is never
/// served. Names the file, the batch's offset as its header claims, and the byte position.
/// </summary>
public sealed class CorruptBatchException(string path, long offset, long position, string reason)
    : Exception($"corrupt batch in {path} at position {position} (offset {offset}): {reason}")
{
    public string Path { get; } = path;
    public long Offset { get; } = offset;
    public long Position { get; } = position;
}
