namespace FastLog.Storage.Producers;

/// <summary>
/// What a partition remembers of one batch of an idempotent producer: enough to recognise a retry of it and
/// answer with the offsets it got the first time.
/// </summary>
/// <param name="Timestamp">The broker's clock when the batch was appended (see <see cref="ProducerStateEntry.LastTimestamp"/>).</param>
public readonly record struct BatchMetadata(int FirstSequence, int LastSequence, long FirstOffset, long LastOffset, long Timestamp);
