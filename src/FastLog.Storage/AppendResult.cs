namespace FastLog.Storage;

/// <summary>What happened to a batch offered to <see cref="PartitionLog.TryAppend"/>.</summary>
public enum AppendStatus
{
    /// <summary>Written at <see cref="AppendResult.BaseOffset"/>.</summary>
    Appended,

    /// <summary>A retry of one of the producer's last batches: not written again; the original's offset is returned.</summary>
    Duplicate,

    /// <summary>The batch's producer epoch is older than the partition's (a fenced producer): INVALID_PRODUCER_EPOCH.</summary>
    InvalidProducerEpoch,

    /// <summary>The batch's sequence does not follow the producer's last one: OUT_OF_ORDER_SEQUENCE_NUMBER.</summary>
    OutOfOrderSequence,
}

/// <summary>
/// The outcome of an append: a value, not an exception, because refusals and duplicates are ordinary answers
/// on the produce path (a client retrying after a lost response sends duplicates by design).
/// </summary>
/// <param name="BaseOffset">The batch's base offset (for a duplicate, the original's); -1 when refused.</param>
/// <param name="Timestamp">For a duplicate, the broker time of the original append; otherwise -1.</param>
public readonly record struct AppendResult(AppendStatus Status, long BaseOffset, long Timestamp)
{
    public bool IsSuccess => Status is AppendStatus.Appended or AppendStatus.Duplicate;

    public static AppendResult Appended(long baseOffset) => new(AppendStatus.Appended, baseOffset, -1);
    public static AppendResult DuplicateOf(in Producers.BatchMetadata original) => new(AppendStatus.Duplicate, original.FirstOffset, original.Timestamp);
    public static AppendResult Refused(AppendStatus status) => new(status, -1, -1);
}
