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
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var url = BrokerMetricsScrape.Url(broker);
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

        Assert.Equal(1024, BrokerMetricsScrape.Value(text, "fastlog_ring_slots"));
        Assert.InRange(BrokerMetricsScrape.Value(text, "fastlog_writer_entries_total"), 1, 100);
        Assert.InRange(BrokerMetricsScrape.Value(text, "fastlog_writer_passes_total"), 1, BrokerMetricsScrape.Value(text, "fastlog_writer_entries_total"));
        Assert.True(BrokerMetricsScrape.Value(text, "fastlog_writer_mean_batch_entries") >= 1);
        Assert.True(BrokerMetricsScrape.Value(text, "process_cpu_seconds_total") > 0);
        Assert.Contains("dotnet_gc_collections_total{generation=\"0\"}", text);
        var missing = await http.GetAsync(url.Replace("/metrics", "/other", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Request_and_flush_histograms_count_every_produce_answer_and_writer_pass()
    {
        await using var broker = await BrokerProcess.StartAsync(null, BrokerMetricsScrape.Listener);
        var url = BrokerMetricsScrape.Url(broker);
        var topic = TestTopics.Unique("histograms");
        using (var producer = Clients.Producer<Null, string>(broker))
        {
            for (var i = 0; i < 20; i++)
            {
                // One at a time: every message is its own produce request and answer.
                await producer.ProduceAsync(topic, new Message<Null, string> { Value = $"v{i}" });
            }
        }
        using var http = new HttpClient();

        // The writer records a pass's time before it counts the pass, and answers inside the pass: a scrape right
        // after the last answer may see one uncounted pass, so scrape until the writer is between passes.
        var text = await http.GetStringAsync(url);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline && BrokerMetricsScrape.Value(text, "fastlog_writer_passes_total") != Buckets(text, "fastlog_writer_pass_seconds", "device=")[^1].Count;)
        {
            await Task.Delay(20);
            text = await http.GetStringAsync(url);
        }

        var produce = Buckets(text, "fastlog_request_seconds", "api=\"Produce\"");
        Assert.InRange(produce[^1].Count, 20, 40); // +Inf: every answer (a retried send could add one)
        Assert.Equal(produce[^1].Count, BrokerMetricsScrape.Value(text, "fastlog_request_seconds_count{api=\"Produce\"}"));
        Assert.True(BrokerMetricsScrape.Value(text, "fastlog_request_seconds_sum{api=\"Produce\"}") > 0);
        Assert.Contains("fastlog_request_seconds_count{api=\"Metadata\"}", text);
        var passes = BrokerMetricsScrape.Value(text, "fastlog_writer_passes_total");
        Assert.Equal(passes, Buckets(text, "fastlog_writer_pass_seconds", "device=")[^1].Count);
        Assert.Equal(passes, Buckets(text, "fastlog_writer_flush_seconds", "device=")[^1].Count);
        foreach (var histogram in new[] { produce, Buckets(text, "fastlog_writer_flush_seconds", "device=") })
        {
            // Cumulative: counts never fall as the bound grows, and the bounds grow.
            for (var i = 1; i < histogram.Count; i++)
            {
                Assert.True(histogram[i].Bound > histogram[i - 1].Bound);
                Assert.True(histogram[i].Count >= histogram[i - 1].Count);
            }
        }
    }

    /// <summary>A histogram's buckets, (upper bound, cumulative count), for the samples carrying a label.</summary>
    private static List<(double Bound, double Count)> Buckets(string text, string name, string label)
    {
        var buckets = Regex.Matches(text, $@"^{Regex.Escape(name)}_bucket\{{([^}}]*)\}} (\S+)$", RegexOptions.Multiline)
            .Where(m => m.Groups[1].Value.Contains(label, StringComparison.Ordinal))
            .Select(m =>
            {
                var le = Regex.Match(m.Groups[1].Value, "le=\"([^\"]+)\"").Groups[1].Value;
                return (Bound: le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture), Count: double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            })
            .ToList();
        Assert.NotEmpty(buckets);
        Assert.Equal(double.PositiveInfinity, buckets[^1].Bound);
        return buckets;
    }
}
