namespace FastLog.LoadGen.Measurement;

/// <summary>A consumer's counts, written by its one thread and read once a second by the progress thread.</summary>
internal sealed class ConsumeTally
{
    private long _records;
    private long _bytes;

    public void Add(int bytes)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
    }

    public ConsumeSnapshot Read() => new(Interlocked.Read(ref _records), Interlocked.Read(ref _bytes));
}

internal readonly record struct ConsumeSnapshot(long Records, long Bytes)
{
    public static ConsumeSnapshot operator -(ConsumeSnapshot a, ConsumeSnapshot b) => new(a.Records - b.Records, a.Bytes - b.Bytes);
}
