using FastLog.Broker.Network;
using FastLog.Broker.Partitions;
using FastLog.Protocol.Messages;

namespace FastLog.Broker.Requests;

/// <summary>
/// OffsetForLeaderEpoch: the end offset of the requested leader epoch. One node has only epoch 0, whose end
/// is the log end offset; a later epoch is unknown to it, as are requests claiming a newer current epoch.
/// </summary>
public sealed class OffsetForLeaderEpochHandler(BrokerServices broker) : ApiHandler<OffsetForLeaderEpochRequest>
{
    protected override ValueTask<Response> HandleAsync(RequestContext context, OffsetForLeaderEpochRequest request, CancellationToken cancellation)
    {
        var response = new OffsetForLeaderEpochResponse();
        foreach (var topic in request.Topics)
        {
            var topicResult = new OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult { Topic = topic.Topic };
            response.Topics.Add(topicResult);
            foreach (var requested in topic.Partitions)
            {
                var result = new OffsetForLeaderEpochResponse.EpochEndOffset { Partition = requested.Partition, LeaderEpoch = -1, EndOffset = -1 };
                topicResult.Partitions.Add(result);
                var partition = broker.Replicas.Get(topic.Topic, requested.Partition);
                if (partition is null)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                }
                else if (requested.CurrentLeaderEpoch > Partition.LeaderEpoch)
                {
                    result.ErrorCode = (short)ErrorCode.UnknownLeaderEpoch;
                }
                else if (requested.LeaderEpoch >= Partition.LeaderEpoch)
                {
                    result.LeaderEpoch = Partition.LeaderEpoch;
                    result.EndOffset = partition.LogEndOffset;
                }
            }
        }
        return ValueTask.FromResult(Response.Of(response));
    }
}
