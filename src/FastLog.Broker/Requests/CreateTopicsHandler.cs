using FastLog.Broker.Network;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>CreateTopics: each topic succeeds or fails on its own, with Kafka's error code and message.</summary>
public sealed class CreateTopicsHandler(BrokerServices broker) : ApiHandler<CreateTopicsRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, CreateTopicsRequest request, CancellationToken cancellation)
    {
        var response = new CreateTopicsResponse();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topic in request.Topics)
        {
            var result = new CreateTopicsResponse.CreatableTopicResult { Name = topic.Name };
            response.Topics.Add(result);
            if (!seen.Add(topic.Name))
            {
                Fail(result, ErrorCode.InvalidRequest, $"topic '{topic.Name}' appears more than once in the request");
                continue;
            }
            try
            {
                var (partitions, factor) = Layout(topic);
                var configs = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var config in topic.Configs)
                {
                    if (config.Value is not null)
                    {
                        configs[config.Name] = config.Value;
                    }
                }
                broker.Topics.Create(topic.Name, partitions, factor, configs, request.ValidateOnly);
            }
            catch (TopicException e)
            {
                Fail(result, e.Code, e.Message);
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }

    /// <summary>Partition count and replication factor, from the request or from a manual assignment.</summary>
    private (int Partitions, short Factor) Layout(CreateTopicsRequest.CreatableTopic topic)
    {
        if (topic.Assignments.Count == 0)
        {
            return (topic.NumPartitions, topic.ReplicationFactor);
        }
        if (topic.NumPartitions != -1 || topic.ReplicationFactor != -1)
        {
            throw new TopicException(ErrorCode.InvalidRequest, "both a replica assignment and a partition count or replication factor were given");
        }
        var indexes = topic.Assignments.Select(a => a.PartitionIndex).Order().ToList();
        if (!indexes.SequenceEqual(Enumerable.Range(0, indexes.Count)))
        {
            throw new TopicException(ErrorCode.InvalidReplicaAssignment, "assigned partitions must be numbered 0..n-1");
        }
        var factors = topic.Assignments.Select(a => a.BrokerIds.Count).Distinct().ToList();
        if (factors.Count != 1 || topic.Assignments.Any(a => a.BrokerIds.Any(b => b != broker.NodeId)))
        {
            throw new TopicException(ErrorCode.InvalidReplicaAssignment, $"every replica must be on broker {broker.NodeId}, the only broker");
        }
        return (indexes.Count, (short)factors[0]);
    }

    private static void Fail(CreateTopicsResponse.CreatableTopicResult result, ErrorCode code, string message)
    {
        result.ErrorCode = (short)code;
        result.ErrorMessage = message;
    }
}
