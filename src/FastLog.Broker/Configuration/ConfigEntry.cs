namespace FastLog.Broker.Configuration;

/// <summary>One config as DescribeConfigs reports it: its value as text (null: none) and where the value came from.</summary>
public sealed record ConfigEntry(string Name, string? Value, ConfigSource Source, ConfigType Type)
{
    public bool IsDefault => Source == ConfigSource.DefaultConfig;
}
