using FastLog.Broker.Network;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>ListOffsets: earliest (-2), latest (-1: the high watermark, which is also the last stable offset) and by timestamp.</summary>
public sealed class ListOffsetsHandler(BrokerServices broker) : ApiHandler<ListOffsetsRequest>
{
    private const long Latest = -1;
    private const long Earliest = -2;

    protected override ValueTask<Response> HandleAsync(RequestContext context, ListOffsetsRequest request, CancellationToken cancellation)
    {
        var response = new ListOffsetsResponse();
        foreach (var topic in request.Topics)
        {
            var topicResponse = new ListOffsetsResponse.ListOffsetsTopicResponse { Name = topic.Name };
            response.Topics.Add(topicResponse);
            foreach (var requested in topic.Partitions)
            {
                topicResponse.Partitions.Add(Lookup(topic.Name, requested));
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }

    private ListOffsetsResponse.ListOffsetsPartitionResponse Lookup(string topic, ListOffsetsRequest.ListOffsetsPartition requested)
    {
        var result = new ListOffsetsResponse.ListOffsetsPartitionResponse { PartitionIndex = requested.PartitionIndex, Offset = -1, Timestamp = -1 };
        var partition = broker.Replicas.Get(topic, requested.PartitionIndex);
        if (partition is null)
        {
            result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
            return result;
        }
        switch (requested.Timestamp)
        {
            case Latest:
                result.Offset = partition.HighWatermark;
                break;
            case Earliest:
                result.Offset = partition.LogStartOffset;
                break;
            case < 0:
                result.ErrorCode = (short)ErrorCode.UnsupportedVersion; // -3 (max timestamp) and later specials need newer versions
                break;
            default:
                if (partition.Log.OffsetForTimestamp(requested.Timestamp) is { } found && found.Offset < partition.HighWatermark)
                {
                    result.Offset = found.Offset;
                    result.Timestamp = found.Timestamp;
                }
                break;
        }
        return result;
    }
}
