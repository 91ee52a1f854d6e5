namespace FastLog.Storage.Producers;

/// <summary>Sequence arithmetic of idempotent batches: sequences count records and wrap at int.MaxValue to 0.</summary>
public static class ProducerSequence
{
    /// <summary>The sequence of a batch's last record (Kafka's DefaultRecordBatch.incrementSequence).</summary>
    public static int Last(int baseSequence, int lastOffsetDelta) =>
        baseSequence > int.MaxValue - lastOffsetDelta
            ? lastOffsetDelta - (int.MaxValue - baseSequence) - 1
            : baseSequence + lastOffsetDelta;

    /// <summary>The sequence of a batch's first record from its last one (DefaultRecordBatch.decrementSequence).</summary>
    public static int First(int lastSequence, int lastOffsetDelta) =>
        lastSequence < lastOffsetDelta
            ? int.MaxValue - (lastOffsetDelta - lastSequence) + 1
            : lastSequence - lastOffsetDelta;

    /// <summary>Whether <paramref name="next"/> directly follows <paramref name="last"/> (ProducerAppendInfo.inSequence).</summary>
    public static bool Follows(int last, int next) =>
        next == last + 1L || (next == 0 && last == int.MaxValue);
}
