using FastLog.Broker.Network;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>DeleteTopics: removes each named topic and its logs.</summary>
public sealed class DeleteTopicsHandler(BrokerServices broker) : ApiHandler<DeleteTopicsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, DeleteTopicsRequest request, CancellationToken cancellation)
    {
        var response = new DeleteTopicsResponse();
        foreach (var name in request.TopicNames)
        {
            var result = new DeleteTopicsResponse.DeletableTopicResult { Name = name };
            response.Responses.Add(result);
            try
            {
                if (TopicNames.IsInternal(name))
                {
                    throw new TopicException(ErrorCode.InvalidTopicException, $"'{name}' is an internal topic");
                }
                broker.Topics.Delete(name);
            }
            catch (TopicException e)
            {
                result.ErrorCode = (short)e.Code;
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}
