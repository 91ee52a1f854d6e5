using System.Globalization;
using FastLog.LoadGen.Measurement;

namespace FastLog.LoadGen.Reporting;

/// <summary>
/// The once-a-second status line: rewritten in place with \r on a terminal, one plain line each when stdout is
/// redirected (so a log file holds the whole time series, not a smear of carriage returns).
/// </summary>
internal sealed class ProgressLine
{
    private readonly bool _inPlace = !Console.IsOutputRedirected;
    private int _shown;

    /// <param name="p99Micros">The phase's p99 so far; null shows "-" until its first value.</param>
    /// <param name="hasLatency">False drops the p99 column, for a workload that measures none.</param>
    public static string Format(double elapsedSeconds, string stage, double messagesPerSecond, double bytesPerSecond, long? p99Micros, string? extra = null, bool hasLatency = true)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{elapsedSeconds,6:0}s {stage,-8} {Units.Count(messagesPerSecond),12} msg/s {Units.MegabytesPerSecond(bytesPerSecond),14}");
        if (hasLatency)
        {
            line += $"  p99 {(p99Micros is { } v ? Units.Latency(v) : "-"),10}";
        }
        return extra is null ? line : $"{line}  {extra}";
    }

    public static string StageOf(Phase phase) => phase == Phase.Warmup ? "warmup" : "measure";

    public void Show(string text)
    {
        if (_inPlace)
        {
            Console.Write("\r" + text.PadRight(_shown));
            _shown = text.Length;
        }
        else
        {
            Console.WriteLine(text);
        }
    }

    /// <summary>A line that stays: ends the in-place line first so the two do not overwrite each other.</summary>
    public void Note(string text)
    {
        End();
        Console.WriteLine(text);
    }

    /// <summary>Moves past the in-place line so what follows starts on a fresh line.</summary>
    public void End()
    {
        if (_inPlace && _shown > 0)
        {
            Console.WriteLine();
            _shown = 0;
        }
    }
}
