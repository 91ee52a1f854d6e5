namespace FastLog.LoadGen.Measurement;

/// <summary>A consumer's counts, written by its one thread and read once a second by the progress thread.</summary>
internal sealed class ConsumeTally
{
    private long _records;
    private long _bytes;
    private long _measured;
    private long _measuredBytes;

    /// <param name="measured">The record arrived inside the measured window.</param>
    public void Add(int bytes, bool measured)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
        if (measured)
        {
            Interlocked.Increment(ref _measured);
            Interlocked.Add(ref _measuredBytes, bytes);
        }
    }

    public ConsumeSnapshot Read() =>
        new(Interlocked.Read(ref _records), Interlocked.Read(ref _bytes), Interlocked.Read(ref _measured), Interlocked.Read(ref _measuredBytes));
}

/// <summary>Records received (and their value bytes), in all and inside the measured window.</summary>
internal readonly record struct ConsumeSnapshot(long Records, long Bytes, long Measured, long MeasuredBytes);
