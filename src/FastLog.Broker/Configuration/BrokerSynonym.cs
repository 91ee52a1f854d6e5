namespace FastLog.Broker.Configuration;

/// <summary>
/// A broker config a topic config defaults from, as Kafka's synonyms: retention.ms from log.retention.ms, then
/// log.retention.minutes, then log.retention.hours. <paramref name="Scale"/> is how many of the topic config's
/// units one unit of the broker config is (3,600,000 for an hours config behind a milliseconds one).
/// </summary>
public sealed record BrokerSynonym(string Name, long Scale = 1);
