namespace FastLog.Benchmarks.Pipeline;

/// <summary>What producers hand to the consumer: a value and the time it was published.</summary>
public sealed class HandoffSlot
{
    public long Value;
    public long PublishedTicks;
}
