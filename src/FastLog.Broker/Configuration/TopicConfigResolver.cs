using System.Runtime.CompilerServices;

namespace FastLog.Broker.Configuration;

/// <summary>
/// A topic's effective configs: its own overrides (DYNAMIC_TOPIC_CONFIG), else what the broker's static config
/// sets through the config's synonyms (STATIC_BROKER_CONFIG), else the default (DEFAULT_CONFIG).
/// </summary>
public static class TopicConfigResolver
{
    // What a topic without overrides gets, per broker config: computed once, since topics without overrides are
    // the common case and produce requests ask for their config.
    private static readonly ConditionalWeakTable<BrokerConfig, EffectiveTopicConfig> BrokerDefaults = [];

    /// <summary>
    /// The effective configs of a topic with <paramref name="topicOverrides"/>. An override with an unknown name
    /// or an invalid value is a <see cref="ConfigException"/>; check them first with
    /// <see cref="TopicConfigDefinitions.Validate"/> to answer INVALID_CONFIG.
    /// </summary>
    public static EffectiveTopicConfig Resolve(BrokerConfig broker, IReadOnlyDictionary<string, string> topicOverrides)
    {
        var defaults = BrokerDefaults.GetValue(broker, FromBroker);
        if (topicOverrides.Count == 0)
        {
            return defaults;
        }
        foreach (var (name, value) in topicOverrides)
        {
            if (TopicConfigDefinitions.Validate(name, value) is { } error)
            {
                throw new ConfigException(error);
            }
        }
        var entries = defaults.Entries
            .Select(entry => topicOverrides.TryGetValue(entry.Name, out var value)
                ? entry with { Value = value, Source = ConfigSource.DynamicTopicConfig }
                : entry)
            .ToList();
        return new EffectiveTopicConfig(entries, broker.LogPreallocation, broker.LogPrepareAheadBytes);
    }

    private static EffectiveTopicConfig FromBroker(BrokerConfig broker)
    {
        var entries = TopicConfigDefinitions.All
            .Select(key =>
            {
                var resolved = SynonymChain.Resolve(key, broker.FindEntry);
                return new ConfigEntry(key.Name, resolved.Value, resolved.Source, key.Type);
            })
            .ToList();
        return new EffectiveTopicConfig(entries, broker.LogPreallocation, broker.LogPrepareAheadBytes);
    }
}
