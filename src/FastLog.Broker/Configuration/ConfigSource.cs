namespace FastLog.Broker.Configuration;

/// <summary>Where a config's value came from, numbered as DescribeConfigs (v1+) reports it.</summary>
public enum ConfigSource : byte
{
    Unknown = 0,

    /// <summary>An override set on the topic itself.</summary>
    DynamicTopicConfig = 1,

    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,

    /// <summary>Set in the broker's properties file or by <c>--override</c>.</summary>
    StaticBrokerConfig = 4,

    /// <summary>Nobody set it: Kafka's default.</summary>
    DefaultConfig = 5,

    DynamicBrokerLoggerConfig = 6,
    ClientMetricsConfig = 7,
    GroupConfig = 8,
}
