using System.Globalization;
using System.Text.RegularExpressions;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests.Support;

/// <summary>A broker process's <c>GET /metrics</c> (started with <see cref="Listener"/>), read as the tests need it.</summary>
public static partial class BrokerMetricsScrape
{
    /// <summary>The override that gives a test broker a metrics endpoint on a free port.</summary>
    public const string Listener = "metrics.listener=127.0.0.1:0";

    private static readonly HttpClient Http = new();

    /// <summary>The endpoint's address, as the broker printed it at start.</summary>
    public static string Url(BrokerProcess broker) => MetricsUrl().Match(broker.Output).Groups[1].Value;

    public static Task<string> ReadAsync(BrokerProcess broker) => Http.GetStringAsync(Url(broker));

    /// <summary>The value of a metric's first sample (labels ignored unless <paramref name="name"/> names them).</summary>
    public static double Value(string text, string name)
    {
        var match = Regex.Match(text, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new Xunit.Sdk.XunitException($"no sample of {name} in:\n{text}");
        }
        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Scrapes until <paramref name="name"/> meets <paramref name="condition"/>; false at the timeout.</summary>
    public static async Task<bool> WaitForAsync(BrokerProcess broker, string name, Func<double, bool> condition, TimeSpan timeout)
    {
        for (var deadline = DateTime.UtcNow + timeout; ; await Task.Delay(10))
        {
            if (condition(Value(await ReadAsync(broker), name)))
            {
                return true;
            }
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
        }
    }

    [GeneratedRegex(@"metrics on (http://\S+/metrics)")]
    private static partial Regex MetricsUrl();
}
