namespace FastLog.LoadGen.Measurement;

/// <summary>
/// One producer's counts. Each field has a single writer (the sending thread for Sent, the delivery-report thread
/// for the rest); Interlocked keeps the once-a-second reads from another thread whole, and costs nothing under no
/// contention.
/// </summary>
internal sealed class DeliveryTally
{
    private long _sent;
    private long _delivered;
    private long _deliveredBytes;
    private long _failed;

    public void AddSent() => Interlocked.Increment(ref _sent);

    public void AddDelivered(int bytes)
    {
        Interlocked.Increment(ref _delivered);
        Interlocked.Add(ref _deliveredBytes, bytes);
    }

    public void AddFailed() => Interlocked.Increment(ref _failed);

    public TallySnapshot Read() =>
        new(Interlocked.Read(ref _sent), Interlocked.Read(ref _delivered), Interlocked.Read(ref _deliveredBytes), Interlocked.Read(ref _failed));
}

/// <summary>Counts at one instant: messages handed to the client, acknowledged (and their value bytes), failed.</summary>
internal readonly record struct TallySnapshot(long Sent, long Delivered, long DeliveredBytes, long Failed)
{
    /// <summary>Handed to the client but neither acknowledged nor failed (yet, or ever after the drain).</summary>
    public long Outstanding => Sent - Delivered - Failed;

    public static TallySnapshot operator +(TallySnapshot a, TallySnapshot b) =>
        new(a.Sent + b.Sent, a.Delivered + b.Delivered, a.DeliveredBytes + b.DeliveredBytes, a.Failed + b.Failed);

    public static TallySnapshot operator -(TallySnapshot a, TallySnapshot b) =>
        new(a.Sent - b.Sent, a.Delivered - b.Delivered, a.DeliveredBytes - b.DeliveredBytes, a.Failed - b.Failed);
}
