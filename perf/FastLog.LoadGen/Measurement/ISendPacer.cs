namespace FastLog.LoadGen.Measurement;

/// <summary>Decides when a producer thread sends its next message.</summary>
internal interface ISendPacer
{
    /// <summary>
    /// Whether latency is measured from the intended send time (a schedule) rather than from the Produce() call.
    /// </summary>
    bool MeasuresFromSchedule { get; }

    /// <summary>
    /// Blocks until the next message is due and returns the instant it was due; returns long.MaxValue once
    /// <paramref name="end"/> has passed or <paramref name="stop"/> is cancelled.
    /// </summary>
    long WaitForNext(long end, CancellationToken stop);
}
