using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using FastLog.Broker.Tests.Support;
using FastLog.TestSupport;

namespace FastLog.Broker.Tests.Metrics;

public sealed partial class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_show_the_rings_and_writer_passes_of_a_producing_broker()
    {
        await using var broker = await BrokerProcess.StartAsync(null, "metrics.listener=127.0.0.1:0");
        var url = MetricsUrl().Match(broker.Output).Groups[1].Value;
        var topic = TestTopics.Unique("metrics");
        using (var producer = Clients.Producer<Null, string>(broker))
        {
            for (var i = 0; i < 100; i++)
            {
                producer.Produce(topic, new Message<Null, string> { Value = $"v{i}" });
            }
            producer.Flush(TimeSpan.FromSeconds(30));
        }
        using var http = new HttpClient();

        var text = await http.GetStringAsync(url);

        Assert.Equal(1024, Value(text, "fastlog_ring_slots"));
        Assert.InRange(Value(text, "fastlog_writer_entries_total"), 1, 100);
        Assert.InRange(Value(text, "fastlog_writer_passes_total"), 1, Value(text, "fastlog_writer_entries_total"));
        Assert.True(Value(text, "fastlog_writer_mean_batch_entries") >= 1);
        Assert.True(Value(text, "process_cpu_seconds_total") > 0);
        Assert.Contains("dotnet_gc_collections_total{generation=\"0\"}", text);
        var missing = await http.GetAsync(url.Replace("/metrics", "/other", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    /// <summary>The value of a metric's first sample (labels ignored).</summary>
    private static double Value(string text, string name)
    {
        var match = Regex.Match(text, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no sample of {name} in:\n{text}");
        return double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"metrics on (http://\S+/metrics)")]
    private static partial Regex MetricsUrl();
}
