namespace FastLog.Broker.Requests;

/// <summary>Kafka's ConfigResource.Type ids as they travel in DescribeConfigs and AlterConfigs.</summary>
public static class ConfigResourceType
{
    public const sbyte Topic = 2;
    public const sbyte Broker = 4;
}
