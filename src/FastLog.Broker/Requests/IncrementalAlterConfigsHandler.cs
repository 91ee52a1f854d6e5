using FastLog.Broker.Configuration;
using FastLog.Broker.Network;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on a topic's overrides; the others stay.</summary>
public sealed class IncrementalAlterConfigsHandler(BrokerServices broker) : ApiHandler<IncrementalAlterConfigsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request, CancellationToken cancellation)
    {
        var response = new IncrementalAlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Responses.Add(result);
            try
            {
                ConfigAlteration.RequireTopic(resource.ResourceType);
                var topic = broker.Metadata.GetTopic(resource.ResourceName)
                    ?? throw new TopicException(ErrorCode.UnknownTopicOrPartition, $"topic '{resource.ResourceName}' does not exist");
                var configs = new Dictionary<string, string>(topic.Configs, StringComparer.Ordinal);
                var effective = broker.TopicConfig(topic);
                foreach (var change in resource.Configs)
                {
                    ConfigAlteration.Apply(configs, effective, change.Name, change.ConfigOperation, change.Value);
                }
                broker.Topics.ReplaceConfigs(resource.ResourceName, configs, request.ValidateOnly);
            }
            catch (TopicException e)
            {
                result.ErrorCode = (short)e.Code;
                result.ErrorMessage = e.Message;
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}

/// <summary>The rules shared by both alter APIs.</summary>
internal static class ConfigAlteration
{
    private const sbyte Set = 0;
    private const sbyte Delete = 1;
    private const sbyte Append = 2;
    private const sbyte Subtract = 3;

    public static void RequireTopic(sbyte resourceType)
    {
        if (resourceType == ConfigResourceType.Broker)
        {
            throw new TopicException(ErrorCode.InvalidRequest, "broker configs are static: set them in the properties file or with --override and restart");
        }
        if (resourceType != ConfigResourceType.Topic)
        {
            throw new TopicException(ErrorCode.InvalidRequest, $"resource type {resourceType} has no configs here");
        }
    }

    public static void Apply(Dictionary<string, string> configs, EffectiveTopicConfig effective, string name, sbyte operation, string? value)
    {
        if (TopicConfigDefinitions.Find(name) is not { } key)
        {
            throw new TopicException(ErrorCode.InvalidConfig, $"Unknown topic config name: {name}");
        }
        switch (operation)
        {
            case Set:
                configs[name] = value ?? throw new TopicException(ErrorCode.InvalidConfig, $"SET of {name} needs a value");
                break;
            case Delete:
                configs.Remove(name);
                break;
            case Append or Subtract when key.Type == ConfigType.List:
                var current = ConfigValueParser.SplitList(configs.GetValueOrDefault(name) ?? effective[name].Value ?? "").ToList();
                var items = ConfigValueParser.SplitList(value ?? "");
                if (operation == Append)
                {
                    current.AddRange(items.Where(i => !current.Contains(i)));
                }
                else
                {
                    current.RemoveAll(items.Contains);
                }
                configs[name] = string.Join(',', current);
                break;
            case Append or Subtract:
                throw new TopicException(ErrorCode.InvalidConfig, $"{name} is not a list, so it cannot be appended to or subtracted from");
            default:
                throw new TopicException(ErrorCode.InvalidRequest, $"unknown config operation {operation}");
        }
    }
}
