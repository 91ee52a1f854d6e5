using FastLog.Broker.Configuration;

namespace FastLog.Broker.Tests.Configuration;

/// <summary>Kafka's rules for configs that have more than one name.</summary>
public sealed class BrokerConfigPrecedenceTests
{
    private static BrokerConfig Load(params (string Key, string Value)[] properties) =>
        BrokerConfigLoader.FromProperties(properties.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void Retention_hours_alone()
    {
        Assert.Equal(24 * 3_600_000L, Load(("log.retention.hours", "24")).LogRetentionMs);
    }

    [Fact]
    public void Retention_minutes_beat_hours()
    {
        Assert.Equal(30 * 60_000L, Load(("log.retention.hours", "24"), ("log.retention.minutes", "30")).LogRetentionMs);
    }

    [Fact]
    public void Retention_ms_beats_minutes_and_hours()
    {
        var config = Load(("log.retention.hours", "24"), ("log.retention.minutes", "30"), ("log.retention.ms", "1234"));

        Assert.Equal(1234, config.LogRetentionMs);
    }

    [Theory]
    [InlineData("log.retention.ms", "-1")]
    [InlineData("log.retention.minutes", "-1")]
    [InlineData("log.retention.hours", "-1")]
    public void A_negative_retention_in_any_unit_is_unlimited(string key, string value)
    {
        Assert.Equal(-1, Load((key, value)).LogRetentionMs);
    }

    [Theory]
    [InlineData("log.retention.ms")]
    [InlineData("log.retention.minutes")]
    [InlineData("log.retention.hours")]
    public void A_retention_of_zero_is_refused_naming_the_key_that_set_it(string key)
    {
        var error = Assert.Throws<ConfigException>(() => Load((key, "0")));

        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{key}: \"0\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Roll_ms_beats_roll_hours()
    {
        Assert.Equal(2 * 3_600_000L, Load(("log.roll.hours", "2")).LogRollMs);
        Assert.Equal(5000, Load(("log.roll.hours", "2"), ("log.roll.ms", "5000")).LogRollMs);
    }

    [Fact]
    public void Log_dirs_beats_log_dir()
    {
        var config = Load(("log.dir", "/single"), ("log.dirs", "/a, /b"));

        Assert.Equal(["/a", "/b"], config.LogDirs);
    }

    [Fact]
    public void Log_dir_is_the_fallback()
    {
        Assert.Equal(["/single"], Load(("log.dir", "/single")).LogDirs);
    }

    [Fact]
    public void A_repeated_log_directory_is_refused()
    {
        var error = Assert.Throws<ConfigException>(() => Load(("log.dirs", "/a,/b,/a")));

        Assert.Equal("log.dirs", error.Key);
    }

    [Theory]
    [InlineData("log.dirs", "")]
    [InlineData("log.dirs", "/a,,/b")]
    [InlineData("log.dir", "  ")]
    public void An_empty_log_directory_is_refused(string key, string value)
    {
        var error = Assert.Throws<ConfigException>(() => Load((key, value)));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Broker_id_is_a_synonym_of_node_id()
    {
        Assert.Equal(7, Load(("broker.id", "7")).NodeId);
        Assert.Equal(7, Load(("node.id", "7")).NodeId);
        Assert.Equal(7, Load(("node.id", "7"), ("broker.id", "7")).NodeId);
    }

    [Fact]
    public void Node_id_and_broker_id_that_differ_are_refused()
    {
        var error = Assert.Throws<ConfigException>(() => Load(("node.id", "1"), ("broker.id", "2")));

        Assert.Equal("node.id", error.Key);
        Assert.Contains("broker.id", error.Message, StringComparison.Ordinal);
    }
}
