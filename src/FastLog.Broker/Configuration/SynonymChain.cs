using System.Globalization;

namespace FastLog.Broker.Configuration;

/// <summary>
/// The value a topic config takes when the topic sets none, following Kafka: the first of its broker synonyms set
/// in the broker's config (STATIC_BROKER_CONFIG), else the first synonym with a default, else the topic config's
/// own default (both DEFAULT_CONFIG). A synonym counted in hours or minutes is converted to the topic config's
/// milliseconds, and a negative count ("unlimited") becomes -1, as Kafka's log.retention.hours does.
/// </summary>
internal static class SynonymChain
{
    public readonly record struct Resolved(string? Value, ConfigSource Source, string? FromBrokerConfig);

    public static Resolved Resolve(ConfigKey topicKey, Func<string, ConfigEntry?> brokerEntry)
    {
        foreach (var synonym in topicKey.Synonyms)
        {
            if (brokerEntry(synonym.Name) is { Source: ConfigSource.StaticBrokerConfig, Value: { } value })
            {
                return new Resolved(Convert(value, synonym), ConfigSource.StaticBrokerConfig, synonym.Name);
            }
        }
        foreach (var synonym in topicKey.Synonyms)
        {
            if (brokerEntry(synonym.Name) is { Value: { } value })
            {
                return new Resolved(Convert(value, synonym), ConfigSource.DefaultConfig, synonym.Name);
            }
        }
        return new Resolved(topicKey.DefaultValue, ConfigSource.DefaultConfig, null);
    }

    private static string Convert(string value, BrokerSynonym synonym)
    {
        if (synonym.Scale == 1)
        {
            return value.Trim();
        }
        var count = long.Parse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var converted = count < 0 ? -1 : checked(count * synonym.Scale);
        return converted.ToString(CultureInfo.InvariantCulture);
    }
}
