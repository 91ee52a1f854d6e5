namespace FastLog.Tools.Probe;

/// <summary>What the probe measured on one data dir; latencies in microseconds, bandwidths in bytes per second.</summary>
internal sealed record DiskMeasurement(
    string DataDir,
    Percentiles SyncAfterAppendMicros,
    Percentiles SyncAfterOverwriteMicros,
    Percentiles SyncUnderLoadMicros,
    double SequentialWriteBytesPerSecond,
    double SequentialReadBytesPerSecond,
    long FreeBytes);

internal readonly record struct Percentiles(double P50, double P99, double Max)
{
    public static Percentiles Of(IReadOnlyList<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Percentiles(At(sorted, 0.50), At(sorted, 0.99), sorted[^1]);
    }

    private static double At(double[] sorted, double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
}
