using System.Globalization;
using System.Net;
using System.Text;
using FastLog.LoadGen.Workloads;
using HdrHistogram;

namespace FastLog.LoadGen.Reporting;

/// <summary>
/// A self-contained HTML page (inline SVG, no scripts, nothing fetched) plotting latency against percentile, the
/// usual HdrHistogram view. The percentile axis is logarithmic in 1 / (1 - p), so 0, 90, 99, 99.9 and 99.99 are
/// evenly spaced and the tail gets as much room as the median.
/// </summary>
internal static class LatencyPlot
{
    private const int Width = 900;
    private const int Height = 520;
    private const int Left = 90;
    private const int Right = 30;
    private const int Top = 70;
    private const int Bottom = 70;
    private const double Nines = 4; // up to 99.99
    private const int Steps = 400;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c"];

    public static void Write(string path, RunResult result, WorkloadOutcome outcome)
    {
        var series = new List<(string Name, HistogramBase Histogram)>();
        if (outcome.Latency is { TotalCount: > 0 } main)
        {
            series.Add((result.LatencyKind ?? "latency", main));
        }
        if (outcome.ProduceLatency is { TotalCount: > 0 } produce)
        {
            series.Add(("produce (send to acknowledgement)", produce));
        }
        File.WriteAllText(path, Html(result, series));
    }

    public static string Html(RunResult result, IReadOnlyList<(string Name, HistogramBase Histogram)> series)
    {
        var curves = series.Select(s => (s.Name, Points: Curve(s.Histogram), s.Histogram)).ToList();
        var top = curves.SelectMany(c => c.Points).Select(p => p.Micros).DefaultIfEmpty(1).Max();
        var (scale, unit) = top >= 10_000 ? (1000.0, "ms") : (1.0, "us");
        var yMax = NiceCeiling(top / scale);

        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"12\">"));
        svg.Append(Inv($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{Escape(result.Workload)} latency by percentile</text>"));
        svg.Append(Inv($"<text x=\"{Width / 2}\" y=\"44\" text-anchor=\"middle\" fill=\"#555\">{Escape(Subtitle(result))}</text>"));
        Axes(svg, yMax, unit);
        for (var i = 0; i < curves.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var points = string.Join(' ', curves[i].Points.Select(p => Inv($"{X(p.Nines):0.#},{Y(p.Micros / scale, yMax):0.#}")));
            svg.Append(Inv($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>"));
            var legendY = Top + 16 + (i * 18);
            svg.Append(Inv($"<line x1=\"{Left + 12}\" y1=\"{legendY - 4}\" x2=\"{Left + 36}\" y2=\"{legendY - 4}\" stroke=\"{color}\" stroke-width=\"2\"/>"));
            svg.Append(Inv($"<text x=\"{Left + 42}\" y=\"{legendY}\">{Escape(curves[i].Name)} (max {Escape(Units.Latency(curves[i].Histogram.GetMaxValue()))})</text>"));
        }
        svg.Append("</svg>");

        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Escape($"{result.Workload} latency")).Append("</title>")
            .Append("<style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}</style>")
            .Append("</head><body>\n").Append(svg).Append('\n');
        page.Append("<table><tr><th>series</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>p99.99</th><th>max</th></tr>");
        foreach (var (name, _, histogram) in curves)
        {
            var s = LatencySummaries.Of(histogram)!;
            page.Append(Inv($"<tr><td>{Escape(name)}</td><td>{Units.Count(s.Count)}</td>"));
            foreach (var v in new[] { s.P50, s.P90, s.P99, s.P999, s.P9999, s.Max })
            {
                page.Append("<td>").Append(Escape(Units.Latency(v))).Append("</td>");
            }
            page.Append("</tr>");
        }
        page.Append("</table>\n<p>").Append(Escape($"{result.StartUtc:yyyy-MM-dd HH:mm:ss} to {result.EndUtc:HH:mm:ss} UTC; latencies in an HdrHistogram (1 us to 60 s, 3 significant digits)."))
            .Append("</p>\n</body></html>\n");
        return page.ToString();
    }

    /// <summary>Latency at evenly spaced points of the log axis, x = log10(1 / (1 - p)) from 0 to 4 nines.</summary>
    private static List<(double Nines, long Micros)> Curve(HistogramBase histogram)
    {
        var points = new List<(double, long)>(Steps + 1);
        for (var i = 0; i <= Steps; i++)
        {
            var nines = Nines * i / Steps;
            var percentile = 100 * (1 - Math.Pow(10, -nines));
            points.Add((nines, histogram.GetValueAtPercentile(percentile)));
        }
        return points;
    }

    private static void Axes(StringBuilder svg, double yMax, string unit)
    {
        var bottom = Height - Bottom;
        string[] labels = ["0%", "90%", "99%", "99.9%", "99.99%"];
        for (var n = 0; n <= Nines; n++)
        {
            var x = X(n);
            svg.Append(Inv($"<line x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{bottom}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Inv($"<text x=\"{x:0.#}\" y=\"{bottom + 18}\" text-anchor=\"middle\">{labels[n]}</text>"));
        }
        const int yTicks = 5;
        for (var i = 0; i <= yTicks; i++)
        {
            var value = yMax * i / yTicks;
            var y = Y(value, yMax);
            svg.Append(Inv($"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - Right}\" y2=\"{y:0.#}\" stroke=\"#e5e5e5\"/>"));
            svg.Append(Inv($"<text x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{value:0.###}</text>"));
        }
        svg.Append(Inv($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{bottom - Top}\" fill=\"none\" stroke=\"#333\"/>"));
        svg.Append(Inv($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 24}\" text-anchor=\"middle\">percentile (log scale)</text>"));
        svg.Append(Inv($"<text transform=\"translate(24 {(Top + bottom) / 2}) rotate(-90)\" text-anchor=\"middle\">latency ({unit})</text>"));
    }

    private static double X(double nines) => Left + ((Width - Left - Right) * nines / Nines);

    private static double Y(double value, double yMax) => Height - Bottom - ((Height - Top - Bottom) * value / yMax);

    /// <summary>The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at or above <paramref name="value"/>.</summary>
    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }
        var power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 })
        {
            if (step * power >= value)
            {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static string Subtitle(RunResult r)
    {
        var o = r.Options;
        var rate = o.Rate is { } rt ? $", {Units.Count(rt)} msg/s target" : "";
        return Inv($"{o.Bootstrap}, {o.RecordBytes} B records, {o.Producers} producer(s), {o.Partitions} partition(s), acks={o.Acks}, compression {o.Compression}, linger {o.LingerMs} ms{rate}; {r.MeasuredSeconds:0.#} s measured");
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
