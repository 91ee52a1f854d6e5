namespace FastLog.LoadGen.Measurement;

/// <summary>
/// The run's time line in clock ticks: warmup from <see cref="Start"/> to <see cref="WarmupEnd"/>, then the measured
/// part to <see cref="End"/>. Nothing is sent at or after <see cref="End"/>.
/// </summary>
internal sealed class RunWindow
{
    public RunWindow(long start, double warmupSeconds, double durationSeconds)
    {
        Start = start;
        WarmupEnd = start + Clock.Ticks(warmupSeconds);
        End = double.IsPositiveInfinity(durationSeconds) ? long.MaxValue : WarmupEnd + Clock.Ticks(durationSeconds);
    }

    public long Start { get; }
    public long WarmupEnd { get; }
    public long End { get; }

    /// <summary>A window with no warmup and no end, for preloading: it stops on a message count instead.</summary>
    public static RunWindow Unbounded(long start) => new(start, 0, double.PositiveInfinity);

    public Phase PhaseOf(long sentAt) => sentAt < WarmupEnd ? Phase.Warmup : Phase.Measured;
}
