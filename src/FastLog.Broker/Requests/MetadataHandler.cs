using FastLog.Broker.Metadata;
using FastLog.Broker.Network;
using FastLog.Broker.Topics;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// Metadata: brokers, cluster id, controller, and topics with their partitions' leader and replicas.
/// A null topic list (or an empty one in v0) asks for every topic; unknown topics are auto-created when both
/// the broker (auto.create.topics.enable) and the request (v4+) allow it.
/// </summary>
public sealed class MetadataHandler(BrokerServices broker) : ApiHandler<MetadataRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, MetadataRequest request, CancellationToken cancellation)
    {
        var version = Version(context);
        var advertised = broker.AdvertisedFor(context.ListenerName);
        var response = new MetadataResponse
        {
            Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = broker.NodeId, Host = advertised.Host, Port = advertised.Port }],
            ClusterId = broker.Metadata.ClusterId,
            ControllerId = broker.NodeId,
        };

        var allTopics = request.Topics is null || (version == 0 && request.Topics.Count == 0);
        if (allTopics)
        {
            foreach (var topic in broker.Metadata.Topics.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                response.Topics.Add(Describe(topic));
            }
        }
        else
        {
            foreach (var requested in request.Topics!)
            {
                response.Topics.Add(DescribeRequested(requested.Name, version < 4 || request.AllowAutoTopicCreation));
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }

    private MetadataResponse.MetadataResponseTopic DescribeRequested(string name, bool allowAutoCreate)
    {
        if (TopicNames.Validate(name) is not null)
        {
            return new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = (short)ErrorCode.InvalidTopicException };
        }
        var topic = broker.Topics.GetOrAutoCreate(name, allowAutoCreate);
        return topic is null
            ? new MetadataResponse.MetadataResponseTopic { Name = name, ErrorCode = (short)ErrorCode.UnknownTopicOrPartition }
            : Describe(topic);
    }

    private MetadataResponse.MetadataResponseTopic Describe(TopicMetadata topic)
    {
        var described = new MetadataResponse.MetadataResponseTopic
        {
            Name = topic.Name,
            IsInternal = TopicNames.IsInternal(topic.Name),
        };
        for (var p = 0; p < topic.PartitionCount; p++)
        {
            described.Partitions.Add(new MetadataResponse.MetadataResponsePartition
            {
                PartitionIndex = p,
                LeaderId = broker.NodeId,
                LeaderEpoch = Partitions.Partition.LeaderEpoch,
                ReplicaNodes = [broker.NodeId],
                IsrNodes = [broker.NodeId],
            });
        }
        return described;
    }
}
