using FastLog.Broker.Network;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>CreatePartitions: grows a topic to a larger partition count; existing keys keep their partition only as long as clients keep the old count.</summary>
public sealed class CreatePartitionsHandler(BrokerServices broker) : ApiHandler<CreatePartitionsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, CreatePartitionsRequest request, CancellationToken cancellation)
    {
        var response = new CreatePartitionsResponse();
        foreach (var topic in request.Topics)
        {
            var result = new CreatePartitionsResponse.CreatePartitionsTopicResult { Name = topic.Name };
            response.Results.Add(result);
            try
            {
                if (topic.Assignments is { } assignments && assignments.Any(a => a.BrokerIds.Any(b => b != broker.NodeId)))
                {
                    throw new TopicException(ErrorCode.InvalidReplicaAssignment, $"every replica must be on broker {broker.NodeId}, the only broker");
                }
                broker.Topics.CreatePartitions(topic.Name, topic.Count, request.ValidateOnly);
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
