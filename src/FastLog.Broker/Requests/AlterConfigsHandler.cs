using FastLog.Broker.Network;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// AlterConfigs (the non-incremental API): a topic's overrides become exactly the given set. Broker configs
/// are static (read from the properties file at start), so altering them is refused.
/// </summary>
public sealed class AlterConfigsHandler(BrokerServices broker) : ApiHandler<AlterConfigsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, AlterConfigsRequest request, CancellationToken cancellation)
    {
        var response = new AlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new AlterConfigsResponse.AlterConfigsResourceResponse { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Responses.Add(result);
            try
            {
                ConfigAlteration.RequireTopic(resource.ResourceType);
                var configs = resource.Configs
                    .Where(c => c.Value is not null)
                    .ToDictionary(c => c.Name, c => c.Value!, StringComparer.Ordinal);
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
