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
    private long _measured;
    private long _measuredBytes;
    private long _failed;

    public void AddSent() => Interlocked.Increment(ref _sent);

    /// <param name="measured">The acknowledgement arrived inside the measured window.</param>
    public void AddDelivered(int bytes, bool measured)
    {
        Interlocked.Increment(ref _delivered);
        Interlocked.Add(ref _deliveredBytes, bytes);
        if (measured)
        {
            Interlocked.Increment(ref _measured);
            Interlocked.Add(ref _measuredBytes, bytes);
        }
    }

    public void AddFailed() => Interlocked.Increment(ref _failed);

    public TallySnapshot Read() => new(
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _delivered),
        Interlocked.Read(ref _deliveredBytes),
        Interlocked.Read(ref _measured),
        Interlocked.Read(ref _measuredBytes),
        Interlocked.Read(ref _failed));
}

/// <summary>
/// Counts at one instant: messages handed to the client, acknowledged (and their value bytes), acknowledged inside
/// the measured window (and their bytes), failed.
/// </summary>
internal readonly record struct TallySnapshot(long Sent, long Delivered, long DeliveredBytes, long Measured, long MeasuredBytes, long Failed)
{
    /// <summary>Handed to the client but neither acknowledged nor failed (yet, or ever after the drain).</summary>
    public long Outstanding => Sent - Delivered - Failed;

    public static TallySnapshot operator +(TallySnapshot a, TallySnapshot b) => new(
        a.Sent + b.Sent,
        a.Delivered + b.Delivered,
        a.DeliveredBytes + b.DeliveredBytes,
        a.Measured + b.Measured,
        a.MeasuredBytes + b.MeasuredBytes,
        a.Failed + b.Failed);
}
