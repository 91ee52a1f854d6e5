namespace FastLog.Benchmarks.Append;

/// <summary>When the appended bytes are made durable.</summary>
public enum FlushMode
{
    /// <summary>One flush per MiB of appended bytes: a broker flushing on a size threshold.</summary>
    PerMiB,

    /// <summary>One flush after every batch: acks=all with a synchronous flush per produce request.</summary>
    PerBatch,
}
