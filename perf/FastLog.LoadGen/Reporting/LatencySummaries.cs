using HdrHistogram;

namespace FastLog.LoadGen.Reporting;

/// <summary>Reads the reported percentiles out of a latency histogram.</summary>
internal static class LatencySummaries
{
    public static LatencySummary? Of(HistogramBase? histogram)
    {
        if (histogram is not { TotalCount: > 0 } h)
        {
            return null;
        }
        return new LatencySummary(
            h.TotalCount,
            h.GetValueAtPercentile(0),
            Math.Round(h.GetMean(), 1),
            h.GetValueAtPercentile(50),
            h.GetValueAtPercentile(90),
            h.GetValueAtPercentile(99),
            h.GetValueAtPercentile(99.9),
            h.GetValueAtPercentile(99.99),
            h.GetMaxValue());
    }
}
