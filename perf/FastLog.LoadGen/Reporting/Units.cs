using System.Globalization;

namespace FastLog.LoadGen.Reporting;

/// <summary>How figures are written for people (the JSON keeps raw numbers).</summary>
internal static class Units
{
    public static string Latency(long micros) => micros switch
    {
        < 1_000 => string.Create(CultureInfo.InvariantCulture, $"{micros} us"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{micros / 1e3:0.00} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{micros / 1e6:0.000} s"),
    };

    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Decimal megabytes (10^6 bytes), like the rest of perf/README.md.</summary>
    public static string MegabytesPerSecond(double bytesPerSecond) =>
        (bytesPerSecond / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " MB/s";

    public static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
