using FastLog.Broker.Configuration;
using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// DescribeConfigs: every config of a topic (its overrides, else the broker's setting, else Kafka's default,
/// each with its source) or of this broker.
/// </summary>
public sealed class DescribeConfigsHandler(BrokerServices broker) : ApiHandler<DescribeConfigsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, DescribeConfigsRequest request, CancellationToken cancellation)
    {
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Results.Add(result);
            var entries = Entries(resource, result);
            if (entries is null)
            {
                continue;
            }
            var wanted = resource.ConfigurationKeys is { Count: > 0 } keys ? keys.ToHashSet(StringComparer.Ordinal) : null;
            foreach (var entry in entries.Where(e => wanted is null || wanted.Contains(e.Name)))
            {
                result.Configs.Add(new DescribeConfigsResponse.DescribeConfigsResourceResult
                {
                    Name = entry.Name,
                    Value = entry.Value,
                    ReadOnly = resource.ResourceType == ConfigResourceType.Broker,
                    ConfigSource = (sbyte)entry.Source,
                    ConfigType = (sbyte)entry.Type,
                    Synonyms = request.IncludeSynonyms
                        ? [new DescribeConfigsResponse.DescribeConfigsSynonym { Name = entry.Name, Value = entry.Value, Source = (sbyte)entry.Source }]
                        : [],
                });
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }

    private IEnumerable<ConfigEntry>? Entries(DescribeConfigsRequest.DescribeConfigsResource resource, DescribeConfigsResponse.DescribeConfigsResult result)
    {
        switch (resource.ResourceType)
        {
            case ConfigResourceType.Topic:
                if (broker.Metadata.GetTopic(resource.ResourceName) is not { } topic)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    result.ErrorMessage = $"topic '{resource.ResourceName}' does not exist";
                    return null;
                }
                return broker.TopicConfig(topic).Entries;
            case ConfigResourceType.Broker:
                if (resource.ResourceName.Length > 0 && resource.ResourceName != broker.NodeId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    result.ErrorCode = (short)ErrorCode.InvalidRequest;
                    result.ErrorMessage = $"this is broker {broker.NodeId}, not '{resource.ResourceName}'";
                    return null;
                }
                return broker.Config.Entries;
            default:
                result.ErrorCode = (short)ErrorCode.InvalidRequest;
                result.ErrorMessage = $"resource type {resource.ResourceType} has no configs here";
                return null;
        }
    }
}
