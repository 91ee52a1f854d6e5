using FastLog.Broker.Configuration;

namespace FastLog.Broker.Tests.Configuration;

public sealed class ListenerConfigTests
{
    private static BrokerConfig Load(params (string Key, string Value)[] properties) =>
        BrokerConfigLoader.FromProperties(properties.ToDictionary(p => p.Key, p => p.Value));

    [Theory]
    [InlineData("PLAINTEXT://127.0.0.1:9092", "PLAINTEXT", "127.0.0.1", 9092)]
    [InlineData("PLAINTEXT://:9092", "PLAINTEXT", "", 9092)]
    [InlineData("PLAINTEXT://localhost:0", "PLAINTEXT", "localhost", 0)]
    [InlineData("plaintext://broker-1.example.com:65535", "PLAINTEXT", "broker-1.example.com", 65535)]
    [InlineData("INTERNAL_1://[::1]:19092", "INTERNAL_1", "::1", 19092)]
    [InlineData("EXTERNAL://[fe80::1%eth0]:9093", "EXTERNAL", "fe80::1%eth0", 9093)]
    public void Listeners_parse(string text, string name, string host, int port)
    {
        Assert.True(Endpoint.TryParse(text, out var endpoint, out _));

        Assert.Equal(new Endpoint(name, host, port), endpoint);
    }

    [Fact]
    public void An_endpoint_prints_as_it_is_written()
    {
        Assert.Equal("PLAINTEXT://:9092", new Endpoint("PLAINTEXT", "", 9092).ToString());
        Assert.Equal("EXTERNAL://[::1]:0", new Endpoint("EXTERNAL", "::1", 0).ToString());
    }

    [Theory]
    [InlineData("127.0.0.1:9092")]
    [InlineData("PLAINTEXT://127.0.0.1")]
    [InlineData("PLAINTEXT://127.0.0.1:")]
    [InlineData("PLAINTEXT://127.0.0.1:65536")]
    [InlineData("PLAINTEXT://127.0.0.1:-1")]
    [InlineData("PLAINTEXT://127.0.0.1:90x")]
    [InlineData("://127.0.0.1:9092")]
    [InlineData("PLAIN TEXT://127.0.0.1:9092")]
    [InlineData("PLAINTEXT://::1:9092")]
    [InlineData("PLAINTEXT://[::1]9092")]
    [InlineData("PLAINTEXT://host/name:9092")]
    public void Malformed_listeners_are_refused_naming_the_key_and_value(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Load(("listeners", text)));

        Assert.Equal("listeners", error.Key);
        Assert.StartsWith($"listeners: \"{text}\" ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_listeners_keep_their_order()
    {
        var config = Load(("listeners", "PLAINTEXT://:9092, internal://127.0.0.1:0"));

        Assert.Equal([new Endpoint("PLAINTEXT", "", 9092), new Endpoint("INTERNAL", "127.0.0.1", 0)], config.Listeners);
        Assert.Equal(config.Listeners, config.AdvertisedListeners);
    }

    [Fact]
    public void A_bad_listener_in_a_list_is_named()
    {
        var error = Assert.Throws<ConfigException>(() => Load(("listeners", "PLAINTEXT://:9092,BAD://:99999")));

        Assert.Contains("\"BAD://:99999\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A://:9092,A://:9093")]
    [InlineData("A://:9092,a://:9093")]
    [InlineData("A://:9092,B://127.0.0.1:9092")]
    [InlineData("")]
    public void Repeated_names_repeated_ports_and_no_listener_are_refused(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Load(("listeners", text)));

        Assert.Equal("listeners", error.Key);
    }

    [Fact]
    public void Port_zero_may_repeat()
    {
        Assert.Equal(2, Load(("listeners", "A://:0,B://:0")).Listeners.Count);
    }

    [Fact]
    public void Advertised_listeners_replace_the_addresses_of_the_listeners_they_name()
    {
        var config = Load(("listeners", "PLAINTEXT://:9092,INTERNAL://:9093"), ("advertised.listeners", "PLAINTEXT://kafka.example.com:19092"));

        Assert.Equal([new Endpoint("PLAINTEXT", "kafka.example.com", 19092)], config.AdvertisedListeners);
    }

    [Fact]
    public void An_advertised_listener_naming_a_missing_listener_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() =>
            Load(("listeners", "PLAINTEXT://:9092"), ("advertised.listeners", "EXTERNAL://kafka.example.com:9092")));

        Assert.Equal("advertised.listeners", error.Key);
        Assert.Contains("EXTERNAL", error.Message, StringComparison.Ordinal);
        Assert.Contains("PLAINTEXT", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PLAINTEXT://0.0.0.0:9092")]
    [InlineData("PLAINTEXT://[::]:9092")]
    [InlineData("PLAINTEXT://h:1,PLAINTEXT://h:2")]
    [InlineData("PLAINTEXT://h:99999")]
    public void Unusable_advertised_listeners_are_refused(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Load(("advertised.listeners", text)));

        Assert.Equal("advertised.listeners", error.Key);
    }
}
